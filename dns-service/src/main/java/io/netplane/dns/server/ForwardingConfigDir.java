package io.netplane.dns.server;

import io.netplane.dns.forward.Forwarder;
import io.netplane.dns.forward.KubeDnsConfig;
import io.netplane.dns.forward.UpstreamSelector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Follows a directory of kube-dns ConfigMap keys (a ConfigMap volume: the kubelet swaps its files when the ConfigMap
 * changes and empties the directory when an optional ConfigMap is deleted) and reconfigures the forwarder with what
 * {@link KubeDnsConfig} makes of it. A content that does not parse is logged with the reason and counted; the
 * forwarding stays as it was.
 */
final class ForwardingConfigDir {
    private static final Logger LOG = Logger.getLogger(ForwardingConfigDir.class);
    private final Path dir;
    private final Forwarder forwarder;
    private final Map<String, List<String>> startStubs;
    private final List<String> startUpstreams;
    private final AtomicLong rejected = new AtomicLong();
    private Map<String, String> last;

    ForwardingConfigDir(Path dir, Forwarder forwarder, Map<String, List<String>> startStubs,
            List<String> startUpstreams) {
        this.dir = dir;
        this.forwarder = forwarder;
        this.startStubs = startStubs;
        this.startUpstreams = startUpstreams;
    }

    /** Reads the directory and applies it if it changed since the last call; called from one thread. */
    synchronized void poll() {
        Map<String, String> data = read();
        if (data == null || Objects.equals(data, last)) {
            return;
        }
        last = data;
        KubeDnsConfig parsed;
        try {
            parsed = KubeDnsConfig.parse(data);
        } catch (IllegalArgumentException e) {
            rejected.incrementAndGet();
            LOG.errorf("%s: %s; forwarding stays as it was", dir, e.getMessage());
            return;
        }
        UpstreamSelector selector = parsed.selector(startStubs, startUpstreams);
        forwarder.reconfigure(selector);
        LOG.infof("%s: forwarding with stub domains %s and upstreams %s", dir, parsed.stubDomains(),
                parsed.upstreamNameservers().isEmpty() ? "from the start-up configuration" : parsed.upstreamNameservers());
    }

    /** Contents that were refused. */
    long rejected() {
        return rejected.get();
    }

    /** The keys present; null when the directory could not be read (tried again at the next poll). */
    private Map<String, String> read() {
        Map<String, String> data = new HashMap<>();
        for (String key : List.of(KubeDnsConfig.STUB_DOMAINS, KubeDnsConfig.UPSTREAM_NAMESERVERS)) {
            try {
                data.put(key, Files.readString(dir.resolve(key), StandardCharsets.UTF_8));
            } catch (NoSuchFileException e) {
                // not set
            } catch (IOException e) {
                LOG.warnf("%s: cannot read %s (%s)", dir, key, e.getMessage());
                return null;
            }
        }
        return data;
    }
}
