package io.netplane.proxy.model;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Which conntrack timeout sysctls to write at start, as kube-proxy decides: a configured timeout of zero leaves the
 * kernel's value alone; any other is written when the current value differs (or cannot be read).
 */
public final class ConntrackTimeouts {
    public static final String TCP_CLOSE_WAIT = "nf_conntrack_tcp_timeout_close_wait";
    public static final String TCP_ESTABLISHED = "nf_conntrack_tcp_timeout_established";

    private ConntrackTimeouts() {
    }

    /**
     * @param current the current value in seconds of a sysctl under net.netfilter, empty when unreadable
     * @return sysctl name to the seconds to write, sorted by name
     */
    public static Map<String, Long> writes(Duration closeWait, Duration established,
            Function<String, Optional<Long>> current) {
        Map<String, Long> out = new TreeMap<>();
        want(out, TCP_CLOSE_WAIT, closeWait, current);
        want(out, TCP_ESTABLISHED, established, current);
        return out;
    }

    private static void want(Map<String, Long> out, String name, Duration timeout,
            Function<String, Optional<Long>> current) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException(name + ": a conntrack timeout cannot be negative, got " + timeout);
        }
        long seconds = timeout.toSeconds();
        if (seconds > 0 && !current.apply(name).equals(Optional.of(seconds))) {
            out.put(name, seconds);
        }
    }
}
