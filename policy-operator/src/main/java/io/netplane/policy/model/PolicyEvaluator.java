package io.netplane.policy.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides whether a connection is allowed by NetworkPolicy: the client's egress and the server's ingress are
 * evaluated separately; a Pod not selected by any policy of a direction is not isolated in it; a selected Pod
 * accepts what the union of the rules of all selecting policies allows.
 */
public final class PolicyEvaluator {
    private PolicyEvaluator() {
    }

    public static Verdict evaluate(ClusterView cluster, Endpoint client, Endpoint server, int port, Protocol protocol) {
        if (client.pod() != null && server.pod() != null && client.pod().key().equals(server.pod().key())) {
            // a Pod's traffic to itself never leaves its network namespace: policy cannot block it
            DirectionVerdict loop = new DirectionVerdict(Direction.Egress, false, false, true, List.of(), List.of(),
                    "a Pod's traffic to itself is not subject to NetworkPolicy");
            return Verdict.of(loop, new DirectionVerdict(Direction.Ingress, false, false, true, List.of(), List.of(), loop.reason()));
        }
        DirectionVerdict egress = direction(cluster, Direction.Egress, client, server, server.pod(), port, protocol);
        DirectionVerdict ingress = direction(cluster, Direction.Ingress, server, client, server.pod(), port, protocol);
        return Verdict.of(egress, ingress);
    }

    /** The policies of the subject's namespace that select it and isolate it in direction {@code d}. */
    public static List<CheckedPolicy> isolating(ClusterView cluster, PodInfo subject, Direction d) {
        NamespaceInfo ns = cluster.namespace(subject.namespace());
        List<CheckedPolicy> out = new ArrayList<>();
        for (CheckedPolicy p : cluster.policiesIn(subject.namespace())) {
            if (p.isolates(d) && p.selected().matches(subject, ns)) {
                out.add(p);
            }
        }
        return out;
    }

    static DirectionVerdict direction(ClusterView cluster, Direction d, Endpoint subject, Endpoint peer,
            PodInfo destination, int port, Protocol protocol) {
        if (subject.pod() == null || subject.pod().hostNetwork()) {
            return new DirectionVerdict(d, false, false, true, List.of(), List.of(),
                    subject.describe() + " is not a Pod subject to NetworkPolicy");
        }
        List<CheckedPolicy> selecting = isolating(cluster, subject.pod(), d);
        if (selecting.isEmpty()) {
            return new DirectionVerdict(d, true, false, true, List.of(), List.of(),
                    "no NetworkPolicy with policyType " + d + " selects " + subject.describe());
        }
        List<RuleRef> allowedBy = new ArrayList<>();
        for (CheckedPolicy p : selecting) {
            for (CheckedRule r : p.rules(d)) {
                if (peerMatches(cluster, r, peer) && portMatches(r, port, protocol, destination)) {
                    allowedBy.add(new RuleRef(p.key(), d, r.index()));
                }
            }
        }
        List<String> names = selecting.stream().map(CheckedPolicy::key).toList();
        String what = protocol + "/" + port + (d == Direction.Ingress ? " from " : " to ") + peer.describe();
        String reason = allowedBy.isEmpty()
                ? subject.describe() + " is isolated for " + d + " by " + names + " and no rule allows " + what
                : "allowed " + what + " by " + allowedBy;
        return new DirectionVerdict(d, true, true, !allowedBy.isEmpty(), names, allowedBy, reason);
    }

    static boolean peerMatches(ClusterView cluster, CheckedRule rule, Endpoint peer) {
        if (rule.peers().isEmpty()) {
            return true;
        }
        for (Peer p : rule.peers()) {
            if (p instanceof Peer.Selected s && peer.pod() != null
                    && s.selector().matches(peer.pod(), cluster.namespace(peer.pod().namespace()))) {
                return true;
            }
            if (p instanceof Peer.Block b && peer.ip() != null && b.cidr().family() == peer.ip().family() && b.contains(peer.ip())) {
                return true;
            }
        }
        return false;
    }

    static boolean portMatches(CheckedRule rule, int port, Protocol protocol, PodInfo destination) {
        if (rule.ports().isEmpty()) {
            return true;
        }
        return rule.ports().stream().anyMatch(p -> p.matches(port, protocol, destination));
    }
}
