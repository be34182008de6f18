package io.netplane.policy.model;

import java.util.List;

/**
 * A policy after defaulting and validation. A policy with errors still isolates the Pods it selects in the
 * directions of its policyTypes; only its invalid rules are dropped (they allow nothing), so a mistake never
 * opens traffic. {@code errors} is what the user is told (a Kubernetes Event).
 */
public record CheckedPolicy(PolicySpec spec, AddressSelector selected, boolean isolatesIngress, boolean isolatesEgress,
        List<CheckedRule> ingress, List<CheckedRule> egress, List<String> errors) {

    public CheckedPolicy {
        ingress = List.copyOf(ingress);
        egress = List.copyOf(egress);
        errors = List.copyOf(errors);
    }

    public String key() {
        return spec.key();
    }

    public boolean isolates(Direction d) {
        return d == Direction.Ingress ? isolatesIngress : isolatesEgress;
    }

    public List<CheckedRule> rules(Direction d) {
        return d == Direction.Ingress ? ingress : egress;
    }
}
