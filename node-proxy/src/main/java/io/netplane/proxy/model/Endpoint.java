package io.netplane.proxy.model;

import java.util.Set;

/**
 * One backend of a service port as the proxy sees it: the first address of an EndpointSlice endpoint,
 * the slice port it serves, its conditions and its topology hints.
 *
 * @param local the endpoint's {@code nodeName} is this node
 */
public record Endpoint(String ip, int port, boolean ready, boolean serving, boolean terminating, boolean local,
        Set<String> zoneHints, Set<String> nodeHints) {

    public Endpoint {
        zoneHints = zoneHints == null ? Set.of() : Set.copyOf(zoneHints);
        nodeHints = nodeHints == null ? Set.of() : Set.copyOf(nodeHints);
    }

    /** A ready, serving endpoint without hints; the common case in tests and benchmarks. */
    public static Endpoint ready(String ip, int port, boolean local) {
        return new Endpoint(ip, port, true, true, false, local, Set.of(), Set.of());
    }

    /** {@code ip:port}, or {@code [ip]:port} for IPv6, as {@code dnat to} and Go's JoinHostPort spell it. */
    public String id() {
        return ip.indexOf(':') >= 0 ? "[" + ip + "]:" + port : ip + ":" + port;
    }
}
