package io.netplane.proxy.sync;

import io.netplane.proxy.config.ProxyConfig;
import io.netplane.proxy.model.ConntrackTimeouts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Sets kube-proxy's conntrack timeouts ({@link ConntrackTimeouts}) in the node's network namespace: through the
 * configured sysctl directory, or with {@code ip netns exec <ns> sysctl} when the proxy programs another namespace.
 * A value that cannot be written is logged, as kube-proxy does, and the proxy runs on.
 */
public final class ConntrackSysctls {
    private static final Logger LOG = Logger.getLogger(ConntrackSysctls.class);

    private ConntrackSysctls() {
    }

    public static void apply(ProxyConfig.Conntrack c, Optional<String> netns) {
        Map<String, Long> writes = ConntrackTimeouts.writes(c.tcpCloseWaitTimeout(), c.tcpEstablishedTimeout(),
                name -> read(c.sysctlDir(), netns, name));
        writes.forEach((name, seconds) -> {
            try {
                write(c.sysctlDir(), netns, name, seconds);
                LOG.infof("set net.netfilter.%s to %d", name, seconds);
            } catch (IOException e) {
                LOG.warnf("cannot set net.netfilter.%s to %d (%s): %s", name, seconds,
                        netns.isPresent() ? "in netns " + netns.get() : "under " + c.sysctlDir(), e.getMessage());
            }
        });
    }

    private static Optional<Long> read(String dir, Optional<String> netns, String name) {
        try {
            String text = netns.isPresent() ? run(List.of("ip", "netns", "exec", netns.get(), "sysctl", "-n",
                    "net.netfilter." + name)) : Files.readString(Path.of(dir, name));
            return Optional.of(Long.parseLong(text.trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void write(String dir, Optional<String> netns, String name, long seconds) throws IOException {
        if (netns.isPresent()) {
            run(List.of("ip", "netns", "exec", netns.get(), "sysctl", "-q", "-w",
                    "net.netfilter." + name + "=" + seconds));
        } else {
            Files.writeString(Path.of(dir, name), Long.toString(seconds));
        }
    }

    private static String run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + ": " + out.trim());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
