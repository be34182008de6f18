package io.netplane.proxy.model;

/**
 * This node as endpoint selection sees it.
 *
 * @param zone the node's {@code topology.kubernetes.io/zone}, or null
 * @param followNodeHints honour node hints (upstream's PreferSameTrafficDistribution, on by default)
 */
public record NodeTopology(String nodeName, String zone, boolean followNodeHints) {

    public EndpointCategories categorize(PlannedPort p) {
        return EndpointCategorizer.categorize(p.endpoints(), p.port(), nodeName, zone, followNodeHints);
    }
}
