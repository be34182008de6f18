package io.netplane.policy.compiler;

import io.netplane.api.events.IpSetView;
import io.netplane.api.events.PolicyView;
import java.util.List;
import java.util.Map;

/**
 * What changed since the last flush, in publishing order: changed sets, then changed policies (so a policy's
 * sets are out before it), then removed policies, then removed sets. {@code invalid} holds the validation
 * errors of policies (re)compiled in this batch that have any, by policy key.
 */
public record CompileDelta(List<IpSetView> sets, List<PolicyView> policies, List<String> removedPolicies,
        List<String> removedSets, Map<String, List<String>> invalid) {

    public boolean isEmpty() {
        return sets.isEmpty() && policies.isEmpty() && removedPolicies.isEmpty() && removedSets.isEmpty();
    }
}
