package io.netplane.endpoints.views;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.netplane.api.events.NodeView;
import io.netplane.api.events.NodeView.NodeAddressView;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Cuts a fabric8 {@link Node} down to the {@link NodeView} of the contract. */
public final class NodeInputs {
    public static final String ZONE_LABEL = "topology.kubernetes.io/zone";

    private NodeInputs() {
    }

    public static NodeView from(Node node, Instant observedAt) {
        var meta = node.getMetadata();
        NodeSpec spec = node.getSpec() == null ? new NodeSpec() : node.getSpec();
        NodeStatus status = node.getStatus() == null ? new NodeStatus() : node.getStatus();
        Map<String, String> labels = meta.getLabels() == null ? Map.of() : meta.getLabels();
        String zone = labels.get(ZONE_LABEL);
        return new NodeView(
                meta.getName(),
                meta.getUid(),
                meta.getResourceVersion(),
                observedAt,
                status.getAddresses() == null ? List.of() : status.getAddresses().stream()
                        .map(a -> new NodeAddressView(a.getType(), a.getAddress())).toList(),
                zone == null || zone.isEmpty() ? null : zone,
                spec.getPodCIDRs() != null && !spec.getPodCIDRs().isEmpty() ? spec.getPodCIDRs()
                        : spec.getPodCIDR() == null ? List.of() : List.of(spec.getPodCIDR()),
                status.getConditions() != null && status.getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())),
                cpuMillis(status.getAllocatable() == null ? null : status.getAllocatable().get("cpu")),
                labels);
    }

    /** A CPU quantity in millicores, rounded up as Kubernetes' MilliValue does; 0 when absent or unparsable. */
    static long cpuMillis(Quantity cpu) {
        if (cpu == null) {
            return 0;
        }
        try {
            BigDecimal cores = cpu.getNumericalAmount();
            return cores.multiply(BigDecimal.valueOf(1000)).setScale(0, RoundingMode.CEILING).longValueExact();
        } catch (ArithmeticException | IllegalArgumentException e) {
            return 0;
        }
    }
}
