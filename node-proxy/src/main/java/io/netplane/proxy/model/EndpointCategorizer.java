package io.netplane.proxy.model;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Splits a service port's endpoints into the sets each traffic path uses, with kube-proxy's semantics
 * ({@code pkg/proxy/topology.go}):
 * <ul>
 * <li>"usable" means ready; only when no endpoint is ready (independently for Cluster and Local) do
 * serving-and-terminating endpoints take over;</li>
 * <li>topology hints are followed only when every ready endpoint carries one and at least one is meant for
 * this node (node hints, the PreferSameNode distribution) or this node's zone (zone hints); otherwise they
 * are ignored and all ready endpoints are used;</li>
 * <li>Local-policy endpoints ignore hints.</li>
 * </ul>
 */
public final class EndpointCategorizer {
    private EndpointCategorizer() {
    }

    /**
     * @param zone this node's {@code topology.kubernetes.io/zone}, or null
     * @param followNodeHints whether node hints are honoured (upstream's PreferSameTrafficDistribution gate)
     */
    public static EndpointCategories categorize(List<Endpoint> endpoints, ServicePort port, String nodeName,
            String zone, boolean followNodeHints) {
        if (endpoints.isEmpty()) {
            return new EndpointCategories(List.of(), List.of(), List.of(), false);
        }
        List<Endpoint> cluster = List.of();
        boolean hasAny = false;
        TopologyMode mode = TopologyMode.NONE;
        if (port.usesClusterEndpoints()) {
            mode = topologyMode(endpoints, nodeName, zone, followNodeHints);
            TopologyMode m = mode;
            cluster = filter(endpoints, e -> e.ready() && availableForTopology(e, m, nodeName, zone));
            if (cluster.isEmpty()) {
                cluster = filter(endpoints, e -> e.serving() && e.terminating());
            }
            hasAny = !cluster.isEmpty();
        }
        if (!port.usesLocalEndpoints()) {
            return new EndpointCategories(cluster, List.of(), cluster, hasAny);
        }
        boolean localReady = false;
        boolean localTerminating = false;
        for (Endpoint e : endpoints) {
            if (e.ready()) {
                hasAny = true;
                localReady |= e.local();
            } else if (e.serving() && e.terminating()) {
                hasAny = true;
                localTerminating |= e.local();
            }
        }
        List<Endpoint> local = List.of();
        if (localReady) {
            local = filter(endpoints, e -> e.local() && e.ready());
        } else if (localTerminating) {
            local = filter(endpoints, e -> e.local() && e.serving() && e.terminating());
        }
        if (!port.usesClusterEndpoints()) {
            return new EndpointCategories(cluster, local, local, hasAny);
        }
        boolean localUsesTerminating = !localReady && localTerminating;
        if (mode == TopologyMode.NONE && !localUsesTerminating) {
            // cluster holds every ready endpoint and local only ready ones: cluster is a superset
            return new EndpointCategories(cluster, local, cluster, hasAny);
        }
        Set<Endpoint> union = new HashSet<>(cluster);
        union.addAll(local);
        return new EndpointCategories(cluster, local, filter(endpoints, union::contains), hasAny);
    }

    /** The hint mode for a port, or NONE when the hints cannot be trusted (see the class comment). */
    public static TopologyMode topologyMode(List<Endpoint> endpoints, String nodeName, String zone,
            boolean followNodeHints) {
        boolean anyReady = false;
        boolean allNodeHints = true;
        boolean forNode = false;
        boolean allZoneHints = true;
        boolean forZone = false;
        for (Endpoint e : endpoints) {
            if (!e.ready()) {
                continue;
            }
            anyReady = true;
            if (e.nodeHints().isEmpty()) {
                allNodeHints = false;
            } else if (e.nodeHints().contains(nodeName)) {
                forNode = true;
            }
            if (e.zoneHints().isEmpty()) {
                allZoneHints = false;
            } else if (zone != null && e.zoneHints().contains(zone)) {
                forZone = true;
            }
        }
        if (!anyReady) {
            return TopologyMode.NONE;
        }
        if (followNodeHints && allNodeHints && forNode) {
            return TopologyMode.PREFER_SAME_NODE;
        }
        if (allZoneHints && forZone) {
            return TopologyMode.PREFER_SAME_ZONE;
        }
        return TopologyMode.NONE;
    }

    private static boolean availableForTopology(Endpoint e, TopologyMode mode, String nodeName, String zone) {
        return switch (mode) {
            case NONE -> true;
            case PREFER_SAME_NODE -> e.nodeHints().contains(nodeName);
            case PREFER_SAME_ZONE -> e.zoneHints().contains(zone);
        };
    }

    /** The endpoints {@code p} accepts; {@code endpoints} itself when that is all of them (nothing to copy). */
    private static List<Endpoint> filter(List<Endpoint> endpoints, Predicate<Endpoint> p) {
        List<Endpoint> kept = endpoints.stream().filter(p).toList();
        return kept.size() == endpoints.size() ? endpoints : kept;
    }
}
