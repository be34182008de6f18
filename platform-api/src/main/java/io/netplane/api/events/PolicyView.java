package io.netplane.api.events;

import java.time.Instant;
import java.util.List;

/**
 * A compiled NetworkPolicy. Selectors are replaced by references to address sets on
 * {@code netplane.ipsets.v1}; an empty {@code peers} list means "all sources/destinations" and an empty
 * {@code ports} list means "all ports", as in the API.
 *
 * @param podSelectorSet the address set of the Pods this policy selects
 * @param policyTypes the defaulted policyTypes (Ingress, Egress)
 */
public record PolicyView(
        String namespace,
        String name,
        String resourceVersion,
        Instant observedAt,
        String podSelectorSet,
        List<String> policyTypes,
        List<RuleView> ingress,
        List<RuleView> egress) implements ContractEvent {

    public PolicyView {
        policyTypes = Lists.of(policyTypes);
        ingress = Lists.of(ingress);
        egress = Lists.of(egress);
    }

    @Override
    public String key() {
        return ContractEvent.key(namespace, name);
    }

    /**
     * One ingress or egress rule.
     *
     * @param namedPortSet for an egress rule with named ports whose destinations are not all covered by a peer set
     *     (no peers, or ipBlock peers): the address set of every Pod, whose members' named ports resolve the names
     *     per destination; {@code null} otherwise. Ingress named ports resolve against {@code podSelectorSet}.
     */
    public record RuleView(List<PeerView> peers, List<PortView> ports, String namedPortSet) {
        public RuleView {
            peers = Lists.of(peers);
            ports = Lists.of(ports);
        }
    }

    /** A peer: either an address set reference or an ipBlock with its exceptions. */
    public record PeerView(String ipSet, String cidr, List<String> except) {
        public PeerView {
            except = Lists.of(except);
        }
    }

    /** A port: a number (with optional endPort) or a name resolved per destination Pod; protocol defaults to TCP. */
    public record PortView(String protocol, Integer port, String portName, Integer endPort) {
    }
}
