package io.netplane.ipam.kube;

import io.netplane.api.labels.LabelSelector;
import io.netplane.ipam.crd.IPAddressPool;
import io.netplane.ipam.pools.PoolDefinition;
import java.util.List;
import java.util.Map;

/** Cuts an {@link IPAddressPool} down to the {@link PoolDefinition} pool validation reads, once, at the edge. */
public final class PoolInputs {
    private PoolInputs() {
    }

    public static PoolDefinition definition(IPAddressPool p) {
        var spec = p.getSpec();
        String name = p.getMetadata().getName();
        String created = p.getMetadata().getCreationTimestamp();
        if (spec == null) {
            return new PoolDefinition(name, created, List.of(), null, null);
        }
        try {
            return new PoolDefinition(name, created, spec.addresses, selector(spec.serviceSelector),
                    selector(spec.namespaceSelector));
        } catch (IllegalArgumentException e) {
            return new PoolDefinition(name, created, spec.addresses, null, null, "selector: " + e.getMessage());
        }
    }

    static LabelSelector selector(io.fabric8.kubernetes.api.model.LabelSelector s) {
        if (s == null) {
            return null;
        }
        List<LabelSelector.Requirement> reqs = s.getMatchExpressions() == null ? List.of()
                : s.getMatchExpressions().stream().map(e -> new LabelSelector.Requirement(e.getKey(),
                        LabelSelector.Operator.parse(e.getOperator()), e.getValues())).toList();
        return new LabelSelector(s.getMatchLabels() == null ? Map.of() : s.getMatchLabels(), reqs);
    }
}
