package io.netplane.policy.model;

import io.netplane.api.labels.LabelSelector;
import io.netplane.api.names.KubernetesNames;
import io.netplane.api.net.Cidr;
import io.netplane.policy.model.PolicySpec.IpBlockSpec;
import io.netplane.policy.model.PolicySpec.PeerSpec;
import io.netplane.policy.model.PolicySpec.PortSpec;
import io.netplane.policy.model.PolicySpec.RuleSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies the API's defaulting and validation to a {@link PolicySpec}. Messages follow the API server's wording
 * and field paths. A rule with any error is dropped whole (dropping only a bad peer could leave an empty peer
 * list, which means "everyone"): the policy keeps isolating its Pods, so bad input fails closed.
 */
public final class PolicyChecker {
    private PolicyChecker() {
    }

    public static CheckedPolicy check(PolicySpec spec) {
        List<String> errors = new ArrayList<>();
        selectorErrors("spec.podSelector", spec.podSelector(), errors);
        boolean ingressType = false;
        boolean egressType = false;
        if (spec.policyTypes().size() > 2) {
            errors.add("spec.policyTypes: Invalid value: may not specify more than two policyTypes");
        }
        for (String t : spec.policyTypes()) {
            if ("Ingress".equals(t)) {
                ingressType = true;
            } else if ("Egress".equals(t)) {
                egressType = true;
            } else {
                errors.add("spec.policyTypes: Unsupported value: \"" + t + "\": supported values: \"Egress\", \"Ingress\"");
            }
        }
        if (!ingressType && !egressType) {
            // the API's defaulting: Ingress always, Egress when there are egress rules
            ingressType = true;
            egressType = !spec.egress().isEmpty();
        }
        List<CheckedRule> ingress = rules("spec.ingress", "from", spec.ingress(), spec.namespace(), errors);
        List<CheckedRule> egress = rules("spec.egress", "to", spec.egress(), spec.namespace(), errors);
        return new CheckedPolicy(spec, AddressSelector.inNamespace(spec.namespace(), spec.podSelector()),
                ingressType, egressType, ingress, egress, errors);
    }

    private static List<CheckedRule> rules(String path, String peerField, List<RuleSpec> specs, String namespace, List<String> errors) {
        List<CheckedRule> out = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            int before = errors.size();
            RuleSpec r = specs.get(i);
            String at = path + "[" + i + "]";
            List<Peer> peers = new ArrayList<>();
            for (int j = 0; j < r.peers().size(); j++) {
                Peer p = peer(at + "." + peerField + "[" + j + "]", r.peers().get(j), namespace, errors);
                if (p != null) {
                    peers.add(p);
                }
            }
            List<PortMatch> ports = new ArrayList<>();
            for (int j = 0; j < r.ports().size(); j++) {
                PortMatch p = port(at + ".ports[" + j + "]", r.ports().get(j), errors);
                if (p != null) {
                    ports.add(p);
                }
            }
            if (errors.size() == before) {
                out.add(new CheckedRule(i, peers, ports));
            }
        }
        return out;
    }

    private static Peer peer(String at, PeerSpec p, String namespace, List<String> errors) {
        int set = (p.podSelector() != null ? 1 : 0) + (p.namespaceSelector() != null ? 1 : 0);
        if (p.ipBlock() != null) {
            if (set > 0) {
                errors.add(at + ": Forbidden: may not specify both ipBlock and another peer");
                return null;
            }
            return ipBlock(at + ".ipBlock", p.ipBlock(), errors);
        }
        if (set == 0) {
            errors.add(at + ": Required value: must specify a peer");
            return null;
        }
        int before = errors.size();
        if (p.podSelector() != null) {
            selectorErrors(at + ".podSelector", p.podSelector(), errors);
        }
        if (p.namespaceSelector() != null) {
            selectorErrors(at + ".namespaceSelector", p.namespaceSelector(), errors);
        }
        if (errors.size() != before) {
            return null;
        }
        AddressSelector s = p.namespaceSelector() == null
                ? AddressSelector.inNamespace(namespace, p.podSelector())
                : AddressSelector.acrossNamespaces(p.namespaceSelector(), p.podSelector());
        return new Peer.Selected(s);
    }

    private static Peer ipBlock(String at, IpBlockSpec b, List<String> errors) {
        if (b.cidr() == null || b.cidr().isEmpty()) {
            errors.add(at + ".cidr: Required value");
            return null;
        }
        Cidr cidr;
        try {
            cidr = Cidr.parse(b.cidr());
        } catch (IllegalArgumentException e) {
            errors.add(at + ".cidr: Invalid value: \"" + b.cidr() + "\": " + e.getMessage());
            return null;
        }
        List<Cidr> except = new ArrayList<>();
        for (int i = 0; i < b.except().size(); i++) {
            String text = b.except().get(i);
            String eat = at + ".except[" + i + "]";
            Cidr e;
            try {
                e = Cidr.parse(text);
            } catch (IllegalArgumentException ex) {
                errors.add(eat + ": Invalid value: \"" + text + "\": " + ex.getMessage());
                continue;
            }
            if (e.family() != cidr.family() || !cidr.contains(e) || e.prefix() <= cidr.prefix()) {
                errors.add(eat + ": Invalid value: \"" + text + "\": must be a strict subset of `cidr`");
                continue;
            }
            except.add(e);
        }
        return except.size() == b.except().size() ? new Peer.Block(cidr, except) : null;
    }

    private static PortMatch port(String at, PortSpec p, List<String> errors) {
        int before = errors.size();
        Protocol protocol = Protocol.TCP;
        try {
            protocol = Protocol.parse(p.protocol());
        } catch (IllegalArgumentException e) {
            errors.add(at + ".protocol: Unsupported value: \"" + p.protocol() + "\": supported values: \"SCTP\", \"TCP\", \"UDP\"");
        }
        if (p.port() != null && p.portName() != null) {
            errors.add(at + ".port: Invalid value: a port is either a number or a name, not both");
        }
        if (p.port() != null && (p.port() < 1 || p.port() > 65535)) {
            errors.add(at + ".port: Invalid value: " + p.port() + ": must be between 1 and 65535, inclusive");
        }
        if (p.portName() != null) {
            KubernetesNames.validatePortName(p.portName()).forEach(m -> errors.add(at + ".port: Invalid value: \"" + p.portName() + "\": " + m));
        }
        if (p.endPort() != null) {
            if (p.portName() != null) {
                errors.add(at + ".endPort: Forbidden: may not be specified when `port` is non-numeric");
            } else if (p.port() == null) {
                errors.add(at + ".endPort: Required value: may not be specified when `port` is not specified");
            } else if (p.endPort() < p.port()) {
                errors.add(at + ".endPort: Invalid value: " + p.endPort() + ": must be greater than or equal to `port`");
            } else if (p.endPort() > 65535) {
                errors.add(at + ".endPort: Invalid value: " + p.endPort() + ": must be between 1 and 65535, inclusive");
            }
        }
        return errors.size() == before ? new PortMatch(protocol, p.port(), p.endPort(), p.portName()) : null;
    }

    private static void selectorErrors(String at, LabelSelector s, List<String> errors) {
        s.validate().forEach(m -> errors.add(at + "." + m));
    }
}
