package io.netplane.ingress.gateway;

import org.jboss.logging.Logger;

/**
 * One line per request on the {@code io.netplane.ingress.access} logger, in a combined-log-like layout:
 * {@code remote "METHOD target VERSION" status bytes ms host="…" upstream="…" route="…"}.
 */
final class AccessLog {
    private static final Logger LOG = Logger.getLogger("io.netplane.ingress.access");

    private final boolean enabled;

    AccessLog(boolean enabled) {
        this.enabled = enabled;
    }

    boolean enabled() {
        return enabled;
    }

    void log(String remote, String method, String target, String version, int status, long bytes, long startNanos,
            String host, String upstream, String route) {
        if (!enabled) {
            return;
        }
        long ms = (System.nanoTime() - startNanos) / 1_000_000;
        LOG.infof("%s \"%s %s %s\" %d %d %dms host=\"%s\" upstream=\"%s\" route=\"%s\"", remote, method, target,
                version, status, bytes, ms, host == null ? "-" : host, upstream == null ? "-" : upstream,
                route == null ? "-" : route);
    }
}
