package io.netplane.proxy.userspace;

import io.netplane.proxy.model.EndpointCategories;
import io.netplane.proxy.model.NodeTopology;
import io.netplane.proxy.model.PlannedPort;
import io.netplane.proxy.model.ServicePort;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The listeners a Service's ports need in userspace mode: the ClusterIP (internal path endpoints) and the
 * NodePort on the configured address (external path endpoints), each with the same policy choices as the
 * nftables mode. externalIPs and LoadBalancer IPs are not bound (they are rarely local addresses).
 */
final class ListenerPlanner {
    private ListenerPlanner() {
    }

    static List<Listener> plan(List<PlannedPort> ports, NodeTopology node, boolean clusterIps, String nodePortAddress) {
        List<Listener> out = new ArrayList<>();
        for (PlannedPort p : ports) {
            ServicePort sp = p.port();
            if ("sctp".equals(sp.protocol())) {
                continue;
            }
            EndpointCategories cat = node.categorize(p);
            Duration affinity = Duration.ofSeconds(sp.affinityTimeoutSeconds());
            if (clusterIps) {
                out.add(new Listener(sp.protocol() + " " + sp.clusterIP() + ":" + sp.port(), sp.serviceKey(),
                        sp.protocol(), sp.clusterIP(), sp.port(), sp.internalPolicyLocal() ? cat.local() : cat.cluster(),
                        affinity));
            }
            if (sp.nodePort() != 0) {
                out.add(new Listener(sp.protocol() + " " + nodePortAddress + ":" + sp.nodePort(), sp.serviceKey(),
                        sp.protocol(), nodePortAddress, sp.nodePort(),
                        sp.externalPolicyLocal() ? cat.local() : cat.cluster(), affinity));
            }
        }
        return out;
    }
}
