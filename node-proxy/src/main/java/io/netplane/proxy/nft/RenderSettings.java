package io.netplane.proxy.nft;

import java.util.List;

/**
 * Node-wide inputs to Service rules.
 *
 * @param clusterCidrs Pod ranges of this family: traffic from outside them to a ClusterIP is masqueraded, and
 *     Pods reaching an externalTrafficPolicy Local address are short-circuited to the Cluster endpoints
 * @param masqueradeAll masquerade every ClusterIP connection
 * @param nodeIPs this node's addresses of this family (a LoadBalancer source range that holds one also admits
 *     the LoadBalancer IPs, as node-originated traffic to them loops back with the VIP as source)
 */
public record RenderSettings(NftFamily family, List<String> clusterCidrs, boolean masqueradeAll,
        List<String> nodeIPs) {
    public RenderSettings {
        clusterCidrs = List.copyOf(clusterCidrs);
        nodeIPs = List.copyOf(nodeIPs);
    }
}
