package io.netplane.proxy.policy;

import io.netplane.api.events.IpSetView;
import io.netplane.api.events.IpSetView.MemberView;
import io.netplane.api.events.PodView.ContainerPortView;
import io.netplane.api.events.PolicyView;
import io.netplane.api.events.PolicyView.PeerView;
import io.netplane.api.events.PolicyView.PortView;
import io.netplane.api.events.PolicyView.RuleView;
import io.netplane.proxy.policy.PolicyNames.Direction;
import io.netplane.proxy.policy.PolicyRuleset.MapDef;
import io.netplane.proxy.policy.PolicyRuleset.SetDef;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Renders compiled policies and address sets into the nftables rules of one node. A local Pod (a member of some
 * policy's {@code podSelectorSet} on this node) isolated in a direction gets a chain of that direction: one rule
 * per (peer, port) of every rule of every policy selecting it (the union), then a drop. Ingress named ports are
 * resolved against the local Pod's own ports; egress named ports against each destination's ports, carried by
 * the set members, as address·port pairs. Allowed egress returns (so the destination's ingress, when local, is
 * checked too); allowed ingress accepts. Established and related traffic is accepted before any of it.
 */
public final class PolicyNftRenderer {
    private PolicyNftRenderer() {
    }

    public static PolicyRuleset render(String nodeName, Collection<PolicyView> policies, Map<String, IpSetView> sets) {
        SortedMap<String, LocalPod> local = localPods(nodeName, policies, sets);
        SortedMap<String, SetDef> setDefs = new TreeMap<>();
        SortedMap<String, List<String>> chains = new TreeMap<>();
        SortedMap<String, MapDef> maps = new TreeMap<>();
        for (Direction d : Direction.values()) {
            for (int fam : new int[] {4, 6}) {
                maps.put(PolicyNames.map(d, fam), new MapDef(fam, new TreeMap<>()));
            }
        }
        for (LocalPod pod : local.values()) {
            for (Direction d : Direction.values()) {
                List<Selected> rules = pod.rules(d);
                if (rules.isEmpty() && !pod.isolated(d)) {
                    continue;
                }
                String chain = PolicyNames.chain(pod.member.pod(), d);
                List<String> lines = new ArrayList<>();
                for (Selected s : rules) {
                    lines.addAll(ruleLines(d, s, pod.member, sets, setDefs));
                }
                lines.add("drop");
                chains.put(chain, lines);
                for (String ip : pod.member.ips()) {
                    maps.get(PolicyNames.map(d, family(ip))).jumps().put(ip, "jump " + chain);
                }
            }
        }
        return new PolicyRuleset(setDefs, chains, maps);
    }

    /** One rule of one policy applying to a local Pod. */
    private record Selected(String policy, int index, RuleView rule) {
    }

    private static final class LocalPod {
        final MemberView member;
        final List<Selected> ingress = new ArrayList<>();
        final List<Selected> egress = new ArrayList<>();
        boolean isolatedIngress;
        boolean isolatedEgress;

        LocalPod(MemberView member) {
            this.member = member;
        }

        List<Selected> rules(Direction d) {
            return d == Direction.INGRESS ? ingress : egress;
        }

        boolean isolated(Direction d) {
            return d == Direction.INGRESS ? isolatedIngress : isolatedEgress;
        }
    }

    private static SortedMap<String, LocalPod> localPods(String nodeName, Collection<PolicyView> policies, Map<String, IpSetView> sets) {
        SortedMap<String, LocalPod> local = new TreeMap<>();
        List<PolicyView> ordered = policies.stream().sorted(Comparator.comparing(PolicyView::key)).toList();
        for (PolicyView p : ordered) {
            IpSetView selected = sets.get(p.podSelectorSet());
            if (selected == null) {
                continue;
            }
            for (MemberView m : selected.members()) {
                if (!Objects.equals(nodeName, m.nodeName()) || m.ips().isEmpty()) {
                    continue;
                }
                LocalPod pod = local.computeIfAbsent(m.pod(), k -> new LocalPod(m));
                if (p.policyTypes().contains("Ingress")) {
                    pod.isolatedIngress = true;
                    for (int i = 0; i < p.ingress().size(); i++) {
                        pod.ingress.add(new Selected(p.key(), i, p.ingress().get(i)));
                    }
                }
                if (p.policyTypes().contains("Egress")) {
                    pod.isolatedEgress = true;
                    for (int i = 0; i < p.egress().size(); i++) {
                        pod.egress.add(new Selected(p.key(), i, p.egress().get(i)));
                    }
                }
            }
        }
        return local;
    }

    private static List<String> ruleLines(Direction d, Selected s, MemberView subject, Map<String, IpSetView> sets,
            SortedMap<String, SetDef> setDefs) {
        String verdict = (d == Direction.INGRESS ? "accept" : "return")
                + " comment \"" + comment(s.policy() + " " + d.name().toLowerCase() + "[" + s.index() + "]") + "\"";
        String addr = d == Direction.INGRESS ? "saddr" : "daddr";
        RuleView r = s.rule();
        List<PeerView> peers = r.peers().isEmpty() ? java.util.Collections.singletonList(null) : r.peers();
        List<PortView> ports = r.ports().isEmpty() ? java.util.Collections.singletonList(null) : r.ports();
        List<String> lines = new ArrayList<>();
        for (PeerView peer : peers) {
            for (PortView port : ports) {
                for (int fam : new int[] {4, 6}) {
                    String peerMatch = peerMatch(peer, fam, addr, sets, setDefs);
                    if (peerMatch == null) {
                        continue;
                    }
                    String portMatch = portMatch(d, port, fam, peer, r, subject, sets);
                    if (portMatch == null) {
                        continue;
                    }
                    String line = (peerMatch + " " + portMatch).trim();
                    boolean familyFree = peer == null && (port == null || port.portName() == null || d == Direction.INGRESS);
                    if (familyFree && fam == 6) {
                        continue;  // the same family-independent line was emitted for 4
                    }
                    lines.add((line.isEmpty() ? "" : line + " ") + verdict);
                }
            }
        }
        return lines;
    }

    /** The address match of a peer in a family; "" for no peer (everyone); null when the peer has no address of it. */
    private static String peerMatch(PeerView peer, int fam, String addr, Map<String, IpSetView> sets, SortedMap<String, SetDef> setDefs) {
        if (peer == null) {
            return "";
        }
        String ipKw = fam == 4 ? "ip" : "ip6";
        if (peer.ipSet() != null) {
            String name = PolicyNames.set(peer.ipSet(), fam);
            setDefs.computeIfAbsent(name, n -> new SetDef(fam, elements(sets.get(peer.ipSet()), fam)));
            return ipKw + " " + addr + " @" + name;
        }
        if (peer.cidr() == null || family(peer.cidr()) != fam) {
            return null;
        }
        String m = ipKw + " " + addr + " " + peer.cidr();
        if (!peer.except().isEmpty()) {
            m += " " + ipKw + " " + addr + " != { " + String.join(", ", peer.except()) + " }";
        }
        return m;
    }

    /** The port match; "" for all ports; null when a named port does not resolve (the pair allows nothing). */
    private static String portMatch(Direction d, PortView port, int fam, PeerView peer, RuleView rule, MemberView subject,
            Map<String, IpSetView> sets) {
        if (port == null) {
            return "";
        }
        String proto = port.protocol() == null ? "tcp" : port.protocol().toLowerCase();
        if (port.portName() != null) {
            if (d == Direction.INGRESS) {
                return subject.namedPorts().stream().filter(cp -> named(cp, port.portName(), proto)).findFirst()
                        .map(cp -> proto + " dport " + cp.containerPort()).orElse(null);
            }
            String source = peer != null && peer.ipSet() != null ? peer.ipSet() : rule.namedPortSet();
            IpSetView set = source == null ? null : sets.get(source);
            TreeSet<String> pairs = new TreeSet<>();
            if (set != null) {
                for (MemberView m : set.members()) {
                    m.namedPorts().stream().filter(cp -> named(cp, port.portName(), proto)).findFirst().ifPresent(cp ->
                            m.ips().stream().filter(ip -> family(ip) == fam).forEach(ip -> pairs.add(ip + " . " + cp.containerPort())));
                }
            }
            if (pairs.isEmpty()) {
                return null;
            }
            return (fam == 4 ? "ip" : "ip6") + " daddr . " + proto + " dport { " + String.join(", ", pairs) + " }";
        }
        if (port.port() == null) {
            return "meta l4proto " + proto;
        }
        return proto + " dport " + port.port() + (port.endPort() == null ? "" : "-" + port.endPort());
    }

    private static boolean named(ContainerPortView cp, String name, String proto) {
        String cpProto = cp.protocol() == null || cp.protocol().isEmpty() ? "tcp" : cp.protocol().toLowerCase();
        return name.equals(cp.name()) && cpProto.equals(proto);
    }

    private static TreeSet<String> elements(IpSetView set, int fam) {
        TreeSet<String> out = new TreeSet<>();
        if (set != null) {
            set.members().forEach(m -> m.ips().stream().filter(ip -> family(ip) == fam).forEach(out::add));
        }
        return out;
    }

    /** nft keeps at most 128 bytes of comment; long policy names are cut from the front (the rule index stays). */
    static String comment(String text) {
        return text.length() <= 120 ? text : "..." + text.substring(text.length() - 117);
    }

    static int family(String ipOrCidr) {
        return ipOrCidr.contains(":") ? 6 : 4;
    }
}
