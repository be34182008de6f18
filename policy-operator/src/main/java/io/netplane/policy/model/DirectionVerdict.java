package io.netplane.policy.model;

import java.util.List;

/**
 * The decision of one direction: whether the Pod on that side is isolated (and by which policies), whether the
 * connection is allowed, and the rules that allow it. {@code applicable} is false when that side is not a Pod
 * subject to policy (an outside address, a host-network Pod).
 */
public record DirectionVerdict(Direction direction, boolean applicable, boolean isolated, boolean allowed,
        List<String> isolatingPolicies, List<RuleRef> allowedBy, String reason) {

    public DirectionVerdict {
        isolatingPolicies = List.copyOf(isolatingPolicies);
        allowedBy = List.copyOf(allowedBy);
    }
}
