package io.netplane.proxy.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which UDP conntrack entries must go after a change, as kube-proxy's {@code conntrack.CleanStaleEntries} decides:
 * UDP has no connection teardown, so a client that keeps its source port keeps hitting a removed endpoint (or
 * the reject a Service without endpoints left behind) until the entry is deleted.
 * <ul>
 * <li>an endpoint no longer reachable from this node: flows to each Service address and the NodePort whose
 * reply comes from that endpoint;</li>
 * <li>a port that had no endpoints and now has some: every flow to its addresses.</li>
 * </ul>
 */
public final class StaleFlows {

    /**
     * One {@code conntrack -D} filter.
     *
     * @param destination the original destination address; null for a NodePort (any local address)
     * @param replySource the endpoint the flow was sent to; null for every flow to the destination
     */
    public record FlowDelete(String protocol, String destination, int port, String replySource) {
    }

    private StaleFlows() {
    }

    public static List<FlowDelete> between(List<PlannedPort> before, List<PlannedPort> after, NodeTopology node) {
        Map<String, PlannedPort> old = byKey(before);
        Set<FlowDelete> out = new LinkedHashSet<>();
        for (PlannedPort now : after) {
            ServicePort sp = now.port();
            if (!"udp".equals(sp.protocol())) {
                continue;
            }
            PlannedPort was = old.remove(sp.portKey());
            List<Endpoint> nowReachable = node.categorize(now).allReachable();
            List<Endpoint> wasReachable = was == null ? List.of() : node.categorize(was).allReachable();
            if (was != null && wasReachable.isEmpty() && !nowReachable.isEmpty()) {
                addresses(was.port(), null, out);
            }
            for (Endpoint e : wasReachable) {
                if (!nowReachable.contains(e) && nowReachable.stream().noneMatch(n -> n.id().equals(e.id()))) {
                    addresses(was.port(), e.ip(), out);
                }
            }
        }
        // ports that disappeared: their endpoints are gone too
        for (PlannedPort was : old.values()) {
            if ("udp".equals(was.port().protocol())) {
                for (Endpoint e : node.categorize(was).allReachable()) {
                    addresses(was.port(), e.ip(), out);
                }
            }
        }
        return new ArrayList<>(out);
    }

    private static void addresses(ServicePort sp, String replySource, Set<FlowDelete> out) {
        out.add(new FlowDelete(sp.protocol(), sp.clusterIP(), sp.port(), replySource));
        sp.externalIPs().forEach(ip -> out.add(new FlowDelete(sp.protocol(), ip, sp.port(), replySource)));
        sp.loadBalancerIPs().forEach(ip -> out.add(new FlowDelete(sp.protocol(), ip, sp.port(), replySource)));
        if (sp.nodePort() != 0) {
            out.add(new FlowDelete(sp.protocol(), null, sp.nodePort(), replySource));
        }
    }

    private static Map<String, PlannedPort> byKey(List<PlannedPort> ports) {
        Map<String, PlannedPort> m = new HashMap<>();
        ports.forEach(p -> m.put(p.port().portKey(), p));
        return m;
    }
}
