package io.netplane.policy.compiler;

import io.netplane.api.events.PolicyView;
import io.netplane.api.events.PolicyView.PeerView;
import io.netplane.api.events.PolicyView.PortView;
import io.netplane.api.events.PolicyView.RuleView;
import io.netplane.policy.model.AddressSelector;
import io.netplane.policy.model.CheckedPolicy;
import io.netplane.policy.model.CheckedRule;
import io.netplane.policy.model.Peer;
import io.netplane.policy.model.PortMatch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns a checked policy into its published form: selectors become set references, invalid rules are already
 * gone, and only the directions the policy isolates carry rules.
 */
final class PolicyViews {
    private PolicyViews() {
    }

    /** Every selector pair the compiled policy references (its own Pods first). */
    static Set<AddressSelector> references(CheckedPolicy p) {
        Set<AddressSelector> out = new LinkedHashSet<>();
        out.add(p.selected());
        if (p.isolatesIngress()) {
            p.ingress().forEach(r -> peerSelectors(r, out));
        }
        if (p.isolatesEgress()) {
            for (CheckedRule r : p.egress()) {
                peerSelectors(r, out);
                if (needsNamedPortSet(r)) {
                    out.add(PolicyCompiler.ALL_PODS);
                }
            }
        }
        return out;
    }

    static PolicyView view(CheckedPolicy p, Function<AddressSelector, String> setId, Instant observedAt) {
        List<String> types = new ArrayList<>();
        if (p.isolatesIngress()) {
            types.add("Ingress");
        }
        if (p.isolatesEgress()) {
            types.add("Egress");
        }
        List<RuleView> ingress = p.isolatesIngress() ? rules(p.ingress(), false, setId) : List.of();
        List<RuleView> egress = p.isolatesEgress() ? rules(p.egress(), true, setId) : List.of();
        return new PolicyView(p.spec().namespace(), p.spec().name(), p.spec().resourceVersion(), observedAt,
                setId.apply(p.selected()), types, ingress, egress);
    }

    private static List<RuleView> rules(List<CheckedRule> rules, boolean egress, Function<AddressSelector, String> setId) {
        List<RuleView> out = new ArrayList<>();
        for (CheckedRule r : rules) {
            List<PeerView> peers = new ArrayList<>();
            for (Peer peer : r.peers()) {
                if (peer instanceof Peer.Selected s) {
                    peers.add(new PeerView(setId.apply(s.selector()), null, List.of()));
                } else if (peer instanceof Peer.Block b) {
                    peers.add(new PeerView(null, b.cidr().toString(), b.except().stream().map(Object::toString).toList()));
                }
            }
            List<PortView> ports = r.ports().stream()
                    .map(p -> new PortView(p.protocol().name(), p.port(), p.name(), p.endPort())).toList();
            String namedPortSet = egress && needsNamedPortSet(r) ? setId.apply(PolicyCompiler.ALL_PODS) : null;
            out.add(new RuleView(peers, ports, namedPortSet));
        }
        return out;
    }

    private static void peerSelectors(CheckedRule r, Set<AddressSelector> out) {
        for (Peer peer : r.peers()) {
            if (peer instanceof Peer.Selected s) {
                out.add(s.selector());
            }
        }
    }

    private static boolean needsNamedPortSet(CheckedRule r) {
        boolean named = r.ports().stream().map(PortMatch::name).anyMatch(n -> n != null);
        boolean uncovered = r.peers().isEmpty() || r.peers().stream().anyMatch(p -> p instanceof Peer.Block);
        return named && uncovered;
    }
}
