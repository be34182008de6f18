package io.netplane.proxy.model;

import io.netplane.api.events.NodeView;
import java.util.List;

/**
 * This node's inputs to rule rendering: name and zone (topology), and its addresses (NodePorts,
 * loadBalancerSourceRanges that admit the node).
 */
public record NodeContext(NodeTopology topology, List<String> internalIPs, List<String> allIPs) {
    public NodeContext {
        internalIPs = List.copyOf(internalIPs);
        allIPs = List.copyOf(allIPs);
    }

    /** From this node's event; {@code node} null (not yet seen) gives a node without zone or addresses. */
    public static NodeContext of(String nodeName, NodeView node, boolean followNodeHints) {
        if (node == null) {
            return new NodeContext(new NodeTopology(nodeName, null, followNodeHints), List.of(), List.of());
        }
        List<String> internal = node.addresses().stream().filter(a -> "InternalIP".equals(a.type()))
                .map(NodeView.NodeAddressView::address).toList();
        List<String> all = node.addresses().stream()
                .filter(a -> "InternalIP".equals(a.type()) || "ExternalIP".equals(a.type()))
                .map(NodeView.NodeAddressView::address).toList();
        return new NodeContext(new NodeTopology(nodeName, node.zone(), followNodeHints), internal, all);
    }
}
