package io.netplane.policy.model;

import java.util.List;

/**
 * A valid rule of a policy with its position in the policy's ingress or egress list (for explanations).
 * Empty peers = every peer; empty ports = every port.
 */
public record CheckedRule(int index, List<Peer> peers, List<PortMatch> ports) {
    public CheckedRule {
        peers = List.copyOf(peers);
        ports = List.copyOf(ports);
    }
}
