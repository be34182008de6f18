package io.netplane.proxy.nft;

import java.util.List;

/**
 * Node-wide inputs to Service rules.
 *
 * @param clusterCidrs Pod ranges of this family: Pods reaching an externalTrafficPolicy Local address are
 *     short-circuited to the Cluster endpoints (the ClusterIP masquerade rule is the table's, see {@link TableSpec})
 * @param nodeIPs this node's addresses of this family (a LoadBalancer source range that holds one also admits
 *     the LoadBalancer IPs, as node-originated traffic to them loops back with the VIP as source)
 */
public record RenderSettings(NftFamily family, List<String> clusterCidrs, List<String> nodeIPs) {
    public RenderSettings {
        clusterCidrs = List.copyOf(clusterCidrs);
        nodeIPs = List.copyOf(nodeIPs);
    }
}
