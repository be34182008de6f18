package io.netplane.proxy.nft;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Writes {@code nft -f} scripts for the proxy's table. Each script is one nftables transaction: it applies
 * completely or not at all.
 * <ul>
 * <li>{@link #full}: (re)creates the whole table from the fixed skeleton and every Service fragment;</li>
 * <li>{@link #update}: turns the table holding the old fragments of some Services into one holding their new
 * fragments, touching only what differs (map elements, changed chains, affinity sets);</li>
 * <li>{@link #delete}: removes the table.</li>
 * </ul>
 */
public final class TableScript {
    private static final int ELEMENTS_PER_COMMAND = 1000;

    private TableScript() {
    }

    public static String full(TableSpec spec, Collection<ServiceFragment> fragments) {
        StringBuilder out = new StringBuilder();
        String t = spec.ref();
        // "add" first so that "delete" never fails on a missing table; both run in the same transaction
        out.append("add table ").append(t).append('\n');
        out.append("delete table ").append(t).append('\n');
        skeleton(out, spec);
        Set<NftElement> elements = new LinkedHashSet<>();
        for (ServiceFragment f : fragments) {
            for (NftSet s : f.sets()) {
                out.append("add set ").append(t).append(' ').append(s.name()).append(" { ").append(s.spec()).append(" }\n");
            }
            for (NftChain c : f.chains()) {
                out.append("add chain ").append(t).append(' ').append(c.name()).append('\n');
            }
            elements.addAll(f.elements());
        }
        for (ServiceFragment f : fragments) {
            for (NftChain c : f.chains()) {
                rules(out, t, c);
            }
        }
        addElements(out, t, new ArrayList<>(elements));
        return out.toString();
    }

    public static String delete(TableSpec spec) {
        return "add table " + spec.ref() + "\ndelete table " + spec.ref() + "\n";
    }

    /**
     * @param before the fragments now in the table of the Services that changed (absent: new Service)
     * @param after their new fragments (absent: Service gone)
     */
    public static String update(TableSpec spec, Collection<ServiceFragment> before, Collection<ServiceFragment> after) {
        return update(spec, before, after, slot -> false);
    }

    /**
     * @param heldElsewhere whether a Service outside this change still holds a {@linkplain ChainNames#shared
     *     shared} element (its slot): such an element is not deleted when the changed Services let it go
     */
    public static String update(TableSpec spec, Collection<ServiceFragment> before, Collection<ServiceFragment> after,
            Predicate<String> heldElsewhere) {
        String t = spec.ref();
        Map<String, List<String>> oldChains = chains(before);
        Map<String, List<String>> newChains = chains(after);
        Map<String, String> oldSets = sets(before);
        Map<String, String> newSets = sets(after);
        Map<String, NftElement> oldEls = elements(before);
        Map<String, NftElement> newEls = elements(after);

        Set<String> changedSets = new LinkedHashSet<>();
        oldSets.forEach((n, s) -> {
            if (newSets.containsKey(n) && !newSets.get(n).equals(s)) {
                changedSets.add(n);
            }
        });
        Set<String> flush = new LinkedHashSet<>();
        oldChains.forEach((n, rules) -> {
            // a changed affinity set is recreated, so every chain that might name it is rewritten too
            if (!newChains.containsKey(n) || !newChains.get(n).equals(rules) || !changedSets.isEmpty()) {
                flush.add(n);
            }
        });
        StringBuilder out = new StringBuilder();
        List<NftElement> gone = new ArrayList<>();
        oldEls.forEach((slot, e) -> {
            if (!Objects.equals(newEls.get(slot), e) && !(ChainNames.shared(e.container()) && heldElsewhere.test(slot))) {
                gone.add(e);
            }
        });
        elementCommand(out, "delete", t, gone, true);
        for (String c : flush) {
            out.append("flush chain ").append(t).append(' ').append(c).append('\n');
        }
        for (String s : changedSets) {
            out.append("delete set ").append(t).append(' ').append(s).append('\n');
        }
        newSets.forEach((n, s) -> {
            if (!oldSets.containsKey(n) || changedSets.contains(n)) {
                out.append("add set ").append(t).append(' ').append(n).append(" { ").append(s).append(" }\n");
            }
        });
        newChains.keySet().stream().filter(n -> !oldChains.containsKey(n))
                .forEach(n -> out.append("add chain ").append(t).append(' ').append(n).append('\n'));
        newChains.forEach((n, rules) -> {
            if (!oldChains.containsKey(n) || flush.contains(n)) {
                rules(out, t, new NftChain(n, rules));
            }
        });
        List<NftElement> added = new ArrayList<>();
        newEls.forEach((slot, e) -> {
            if (!Objects.equals(oldEls.get(slot), e)) {
                added.add(e);
            }
        });
        addElements(out, t, added);
        oldChains.keySet().stream().filter(n -> !newChains.containsKey(n))
                .forEach(n -> out.append("delete chain ").append(t).append(' ').append(n).append('\n'));
        oldSets.keySet().stream().filter(n -> !newSets.containsKey(n))
                .forEach(n -> out.append("delete set ").append(t).append(' ').append(n).append('\n'));
        return out.toString();
    }

    private static void skeleton(StringBuilder out, TableSpec spec) {
        String t = spec.ref();
        NftFamily f = spec.family();
        String ipX = f.keyword();
        out.append("add table ").append(t).append(" { comment \"rules for netplane node-proxy\" ; }\n");
        baseChain(out, t, "filter-prerouting", "filter", "prerouting", "-110");
        baseChain(out, t, "filter-input", "filter", "input", "-110");
        baseChain(out, t, "filter-forward", "filter", "forward", "-110");
        baseChain(out, t, "filter-output", "filter", "output", "-110");
        baseChain(out, t, "filter-output-post-dnat", "filter", "output", "-90");
        baseChain(out, t, "nat-prerouting", "nat", "prerouting", "-100");
        baseChain(out, t, "nat-output", "nat", "output", "-100");
        baseChain(out, t, "nat-postrouting", "nat", "postrouting", "100");
        for (String c : List.of(ChainNames.SERVICES, ChainNames.MASQUERADING, ChainNames.MARK_MASQ,
                ChainNames.ENDPOINTS_CHECK, ChainNames.FIREWALL_CHECK, ChainNames.CLUSTER_IPS_CHECK, ChainNames.REJECT)) {
            out.append("add chain ").append(t).append(' ').append(c).append('\n');
        }
        String addr = f.addrType();
        String tuple = addr + " . inet_proto . inet_service : verdict";
        map(out, t, ChainNames.SERVICE_IPS, tuple, "ClusterIP, ExternalIP and LoadBalancer IP traffic");
        map(out, t, ChainNames.SERVICE_NODEPORTS, "inet_proto . inet_service : verdict", "NodePort traffic");
        map(out, t, ChainNames.NO_ENDPOINT_SERVICES, tuple, "drop or reject traffic to services with no endpoints");
        map(out, t, ChainNames.NO_ENDPOINT_NODEPORTS, "inet_proto . inet_service : verdict",
                "drop or reject traffic to service nodeports with no endpoints");
        map(out, t, ChainNames.FIREWALL_IPS, tuple, "destinations subject to loadBalancerSourceRanges");
        out.append("add set ").append(t).append(' ').append(ChainNames.CLUSTER_IPS).append(" { type ").append(addr)
                .append(" ; comment \"active ClusterIPs\" ; }\n");
        out.append("add set ").append(t).append(' ').append(ChainNames.HAIRPIN_IPS).append(" { type ").append(addr)
                .append(" . ").append(addr).append(" ; comment \"endpoint . endpoint: DNATed back to its source\" ; }\n");
        String nodePorts;
        if (spec.nodePortIPs() == null) {
            nodePorts = "fib daddr type local " + ipX + " daddr != " + f.loopback();
        } else {
            out.append("add set ").append(t).append(' ').append(ChainNames.NODEPORT_IPS).append(" { type ").append(addr)
                    .append(" ; comment \"IPs that accept NodePort traffic\" ; }\n");
            if (!spec.nodePortIPs().isEmpty()) {
                out.append("add element ").append(t).append(' ').append(ChainNames.NODEPORT_IPS).append(" { ")
                        .append(String.join(", ", spec.nodePortIPs())).append(" }\n");
            }
            nodePorts = ipX + " daddr @" + ChainNames.NODEPORT_IPS;
        }
        String jump = "add rule " + t + " ";
        out.append(jump).append("filter-prerouting ct state new jump ").append(ChainNames.FIREWALL_CHECK).append('\n');
        out.append(jump).append("filter-input ct state new jump ").append(ChainNames.ENDPOINTS_CHECK).append('\n');
        out.append(jump).append("filter-forward ct state new jump ").append(ChainNames.ENDPOINTS_CHECK).append('\n');
        out.append(jump).append("filter-forward ct state new jump ").append(ChainNames.CLUSTER_IPS_CHECK).append('\n');
        out.append(jump).append("filter-output ct state new jump ").append(ChainNames.ENDPOINTS_CHECK).append('\n');
        out.append(jump).append("filter-output ct state new jump ").append(ChainNames.FIREWALL_CHECK).append('\n');
        out.append(jump).append("filter-output-post-dnat ct state new jump ").append(ChainNames.CLUSTER_IPS_CHECK).append('\n');
        out.append(jump).append("nat-prerouting jump ").append(ChainNames.SERVICES).append('\n');
        out.append(jump).append("nat-output jump ").append(ChainNames.SERVICES).append('\n');
        out.append(jump).append("nat-postrouting jump ").append(ChainNames.MASQUERADING).append('\n');
        out.append(jump).append(ChainNames.MARK_MASQ).append(" meta mark set meta mark or ").append(spec.mark()).append('\n');
        // hairpin: after DNAT the destination is the endpoint, so a connection from an endpoint to itself has
        // source == destination; nft cannot compare two fields, hence the set of every endpoint's (address, address)
        out.append(jump).append(ChainNames.MASQUERADING).append(" ct status dnat ").append(ipX).append(" saddr . ")
                .append(ipX).append(" daddr @").append(ChainNames.HAIRPIN_IPS).append(" jump ").append(ChainNames.MARK_MASQ)
                .append('\n');
        out.append(jump).append(ChainNames.MASQUERADING).append(" meta mark and ").append(spec.mark()).append(" == 0 return\n");
        out.append(jump).append(ChainNames.MASQUERADING).append(" meta mark set meta mark xor ").append(spec.mark()).append('\n');
        out.append(jump).append(ChainNames.MASQUERADING).append(" masquerade fully-random\n");
        out.append(jump).append(ChainNames.REJECT).append(" reject\n");
        out.append(jump).append(ChainNames.ENDPOINTS_CHECK).append(' ').append(ipX)
                .append(" daddr . meta l4proto . th dport vmap @").append(ChainNames.NO_ENDPOINT_SERVICES).append('\n');
        out.append(jump).append(ChainNames.ENDPOINTS_CHECK).append(' ').append(nodePorts)
                .append(" meta l4proto . th dport vmap @").append(ChainNames.NO_ENDPOINT_NODEPORTS).append('\n');
        out.append(jump).append(ChainNames.FIREWALL_CHECK).append(' ').append(ipX)
                .append(" daddr . meta l4proto . th dport vmap @").append(ChainNames.FIREWALL_IPS).append('\n');
        out.append(jump).append(ChainNames.CLUSTER_IPS_CHECK).append(' ').append(ipX).append(" daddr @")
                .append(ChainNames.CLUSTER_IPS).append(" reject comment \"reject traffic to invalid ports of ClusterIPs\"\n");
        if (!spec.serviceCidrs().isEmpty()) {
            String drop = ' ' + ipX + " daddr { " + String.join(", ", spec.serviceCidrs())
                    + " } counter drop comment \"drop traffic to unallocated ClusterIPs\"\n";
            if (spec.sharded()) {
                // another table may own the address: drop only after every table's reject (its priority + 1)
                baseChain(out, t, "filter-forward-unallocated", "filter", "forward", "-109");
                baseChain(out, t, "filter-output-unallocated", "filter", "output", "-89");
                out.append(jump).append("filter-forward-unallocated ct state new").append(drop);
                out.append(jump).append("filter-output-unallocated ct state new").append(drop);
            } else {
                out.append(jump).append(ChainNames.CLUSTER_IPS_CHECK).append(drop);
            }
        }
        if (spec.masqueradeAll()) {
            out.append(jump).append(ChainNames.SERVICES).append(' ').append(ipX).append(" daddr @")
                    .append(ChainNames.CLUSTER_IPS).append(" jump ").append(ChainNames.MARK_MASQ)
                    .append(" comment \"masquerade all ClusterIP traffic\"\n");
        } else if (!spec.clusterCidrs().isEmpty()) {
            out.append(jump).append(ChainNames.SERVICES).append(' ').append(ipX).append(" daddr @")
                    .append(ChainNames.CLUSTER_IPS).append(' ').append(ipX).append(" saddr != { ")
                    .append(String.join(", ", spec.clusterCidrs())).append(" } jump ").append(ChainNames.MARK_MASQ)
                    .append(" comment \"masquerade ClusterIP traffic from outside the cluster\"\n");
        }
        out.append(jump).append(ChainNames.SERVICES).append(' ').append(ipX)
                .append(" daddr . meta l4proto . th dport vmap @").append(ChainNames.SERVICE_IPS).append('\n');
        out.append(jump).append(ChainNames.SERVICES).append(' ').append(nodePorts)
                .append(" meta l4proto . th dport vmap @").append(ChainNames.SERVICE_NODEPORTS).append('\n');
    }

    // numeric priorities (dstnat is -100, srcnat 100): older nft only accepts the names on some hooks
    private static void baseChain(StringBuilder out, String t, String name, String type, String hook, String prio) {
        out.append("add chain ").append(t).append(' ').append(name).append(" { type ").append(type).append(" hook ")
                .append(hook).append(" priority ").append(prio).append(" ; }\n");
    }

    private static void map(StringBuilder out, String t, String name, String type, String comment) {
        out.append("add map ").append(t).append(' ').append(name).append(" { type ").append(type)
                .append(" ; comment \"").append(comment).append("\" ; }\n");
    }

    private static void rules(StringBuilder out, String t, NftChain c) {
        for (String r : c.rules()) {
            out.append("add rule ").append(t).append(' ').append(c.name()).append(' ').append(r).append('\n');
        }
    }

    private static void addElements(StringBuilder out, String t, List<NftElement> elements) {
        elementCommand(out, "add", t, elements, false);
    }

    private static void elementCommand(StringBuilder out, String verb, String t, List<NftElement> elements, boolean keysOnly) {
        Map<String, List<NftElement>> byContainer = new LinkedHashMap<>();
        elements.forEach(e -> byContainer.computeIfAbsent(e.container(), c -> new ArrayList<>()).add(e));
        byContainer.forEach((container, els) -> {
            for (int i = 0; i < els.size(); i += ELEMENTS_PER_COMMAND) {
                List<NftElement> chunk = els.subList(i, Math.min(els.size(), i + ELEMENTS_PER_COMMAND));
                out.append(verb).append(" element ").append(t).append(' ').append(container).append(" { ");
                for (int j = 0; j < chunk.size(); j++) {
                    out.append(j == 0 ? "" : ", ").append(keysOnly ? chunk.get(j).key() : chunk.get(j).text());
                }
                out.append(" }\n");
            }
        });
    }

    private static Map<String, List<String>> chains(Collection<ServiceFragment> fs) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        fs.forEach(f -> f.chains().forEach(c -> m.put(c.name(), c.rules())));
        return m;
    }

    private static Map<String, String> sets(Collection<ServiceFragment> fs) {
        Map<String, String> m = new LinkedHashMap<>();
        fs.forEach(f -> f.sets().forEach(s -> m.put(s.name(), s.spec())));
        return m;
    }

    private static Map<String, NftElement> elements(Collection<ServiceFragment> fs) {
        Map<String, NftElement> m = new LinkedHashMap<>();
        fs.forEach(f -> f.elements().forEach(e -> m.put(e.slot(), e)));
        return m;
    }
}
