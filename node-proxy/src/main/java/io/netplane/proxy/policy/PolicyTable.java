package io.netplane.proxy.policy;

import io.netplane.api.events.IpSetView;
import io.netplane.api.events.PolicyView;
import java.util.Collection;
import java.util.Map;

/**
 * The node's policy table as last applied: each {@link #next} renders the new ruleset and returns the script that
 * takes the kernel there (the whole table the first time, only the differences after). The caller runs the script
 * with {@code nft -f} and calls {@link #applied} on success, or {@link #reset} after a failure (so the next script
 * rebuilds the whole table).
 */
public final class PolicyTable {
    private final String nodeName;
    private PolicyRuleset current;
    private PolicyRuleset pending;

    public PolicyTable(String nodeName) {
        this.nodeName = nodeName;
    }

    public String next(Collection<PolicyView> policies, Map<String, IpSetView> sets) {
        pending = PolicyNftRenderer.render(nodeName, policies, sets);
        return current == null ? PolicyNftScript.full(pending) : PolicyNftScript.update(current, pending);
    }

    public void applied() {
        current = pending;
    }

    public void reset() {
        current = null;
    }

}
