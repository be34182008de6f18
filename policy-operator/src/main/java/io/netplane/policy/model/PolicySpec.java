package io.netplane.policy.model;

import io.netplane.api.labels.LabelSelector;
import java.util.List;

/**
 * A NetworkPolicy as written by the user, cut down at the edge and not yet validated. {@code policyTypes} is the
 * raw list (empty when unset); {@link PolicyChecker} applies the API's defaulting.
 */
public record PolicySpec(String namespace, String name, String resourceVersion, LabelSelector podSelector,
        List<String> policyTypes, List<RuleSpec> ingress, List<RuleSpec> egress) {

    public PolicySpec {
        podSelector = podSelector == null ? LabelSelector.EVERYTHING : podSelector;
        policyTypes = policyTypes == null ? List.of() : List.copyOf(policyTypes);
        ingress = ingress == null ? List.of() : List.copyOf(ingress);
        egress = egress == null ? List.of() : List.copyOf(egress);
    }

    public String key() {
        return namespace + "/" + name;
    }

    /** One ingress ({@code from}) or egress ({@code to}) rule: empty peers = every peer, empty ports = every port. */
    public record RuleSpec(List<PeerSpec> peers, List<PortSpec> ports) {
        public RuleSpec {
            peers = peers == null ? List.of() : List.copyOf(peers);
            ports = ports == null ? List.of() : List.copyOf(ports);
        }
    }

    /** One peer: selectors (either or both; {@code null} = not set) or an ipBlock. */
    public record PeerSpec(LabelSelector podSelector, LabelSelector namespaceSelector, IpBlockSpec ipBlock) {
    }

    /** An ipBlock as written: a CIDR and the CIDRs carved out of it. */
    public record IpBlockSpec(String cidr, List<String> except) {
        public IpBlockSpec {
            except = except == null ? List.of() : List.copyOf(except);
        }
    }

    /** A port as written: protocol ({@code null} = TCP), a number or a name (or neither = all ports), endPort. */
    public record PortSpec(String protocol, Integer port, String portName, Integer endPort) {
    }
}
