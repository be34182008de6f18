package io.netplane.proxy.sync;

import io.netplane.proxy.model.StaleFlows.FlowDelete;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Deletes stale UDP conntrack entries with the {@code conntrack} tool (inside the configured network namespace).
 * Best effort, as in kube-proxy: a missing tool or a failure is logged, never retried.
 */
public final class ConntrackCleaner {
    private static final Logger LOG = Logger.getLogger(ConntrackCleaner.class);

    private final List<String> prefix;
    private boolean warnedMissing;

    public ConntrackCleaner(Optional<String> netns) {
        List<String> c = new ArrayList<>();
        netns.ifPresent(ns -> c.addAll(List.of("ip", "netns", "exec", ns)));
        c.add("conntrack");
        this.prefix = List.copyOf(c);
    }

    public void delete(List<FlowDelete> flows) {
        for (FlowDelete f : flows) {
            List<String> cmd = new ArrayList<>(prefix);
            cmd.addAll(List.of("-D", "-p", f.protocol()));
            if (f.destination() != null) {
                cmd.addAll(List.of("--orig-dst", f.destination()));
            }
            cmd.addAll(List.of("--orig-port-dst", Integer.toString(f.port())));
            if (f.replySource() != null) {
                cmd.addAll(List.of("--reply-src", f.replySource()));
            }
            run(cmd);
        }
    }

    private void run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                LOG.warnf("%s timed out", String.join(" ", cmd));
            } else if (p.exitValue() > 1) {
                // exit 1 means "0 flow entries deleted"
                LOG.warnf("%s: %s", String.join(" ", cmd), out.trim());
            }
        } catch (IOException e) {
            if (!warnedMissing) {
                warnedMissing = true;
                LOG.warnf("cannot run conntrack (install the conntrack tool to clear stale UDP flows): %s", e.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
