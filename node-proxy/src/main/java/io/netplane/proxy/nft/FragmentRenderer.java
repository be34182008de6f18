package io.netplane.proxy.nft;

import io.netplane.proxy.model.Endpoint;
import io.netplane.proxy.model.EndpointCategories;
import io.netplane.proxy.model.NodeTopology;
import io.netplane.proxy.model.PlannedPort;
import io.netplane.proxy.model.ServicePort;
import io.netplane.api.net.Cidr;
import io.netplane.api.net.IpAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders one Service's ports into its {@link ServiceFragment}, following kube-proxy's nftables mode
 * ({@code pkg/proxy/nftables/proxier.go}):
 * <ul>
 * <li>ClusterIP, externalIP and LoadBalancer IP (address, protocol, port) and NodePort (protocol, port) are
 * elements of shared verdict maps that jump to the port's chains;</li>
 * <li>the Cluster- or Local-policy chain picks an endpoint and DNATs to it: a rule per endpoint, each taking
 * the connection with probability {@code 1/(remaining)} ({@code numgen random mod K 0}), or an anonymous {@code
 * numgen} map of {@code address . port} targets for more than {@link #MAX_RULES_PER_DISPATCH} endpoints; no chain
 * per endpoint, so the table holds a few chains per Service port whatever its endpoint count;</li>
 * <li>only with ClientIP affinity does each endpoint get a chain, which records the client in the endpoint's
 * timeout set before the DNAT; the policy chain checks those sets before the random choice;</li>
 * <li>a port without usable endpoints gets a reject (none anywhere) or drop (none on this node for a Local
 * policy) verdict instead;</li>
 * <li>masquerading: traffic from an endpoint on this node to itself (hairpin: its {@code address . address} is
 * an element of the shared {@code hairpin-ips} set, matched after DNAT in postrouting), external traffic with the
 * Cluster policy and node-originated traffic to a Local-policy external address (ClusterIP traffic from outside
 * the cluster CIDRs is the table's one rule, see {@link TableScript}).</li>
 * </ul>
 */
public final class FragmentRenderer {
    private FragmentRenderer() {
    }

    public static ServiceFragment render(String serviceKey, List<PlannedPort> ports, NodeTopology node,
            RenderSettings settings) {
        Builder b = new Builder();
        for (PlannedPort p : ports) {
            renderPort(b, p.port(), node.categorize(p), settings);
        }
        return new ServiceFragment(serviceKey, new ArrayList<>(b.sets.values()),
                b.chains.entrySet().stream().map(e -> new NftChain(e.getKey(), e.getValue())).toList(),
                new ArrayList<>(b.elements));
    }

    private static void renderPort(Builder b, ServicePort sp, EndpointCategories cat, RenderSettings s) {
        String ipX = s.family().keyword();
        String proto = sp.protocol();
        String key = sp.portKey();
        String clusterChain = ChainNames.cluster(key);
        String localChain = ChainNames.local(key);
        String extChain = ChainNames.external(key);
        // per-endpoint chains and sets only where ClientIP affinity needs somewhere to record the client
        Map<Endpoint, String> epChains = new java.util.HashMap<>();
        Map<Endpoint, String> affinitySets = new java.util.HashMap<>();
        if (sp.sessionAffinity()) {
            for (Endpoint e : cat.allReachable()) {
                epChains.put(e, ChainNames.endpoint(key, e.ip(), e.port()));
                affinitySets.put(e, ChainNames.affinity(key, e.ip(), e.port()));
                b.chain(epChains.get(e));
            }
        }
        // as kube-proxy: only a Pod on this node sends its own traffic through this node's rules (a remote Pod's
        // ClusterIP traffic is DNATed on its node; NodePort traffic with the Cluster policy is masqueraded anyway)
        for (Endpoint e : cat.allReachable()) {
            if (e.local()) {
                b.element(ChainNames.HAIRPIN_IPS, e.ip() + " . " + e.ip(), null);
            }
        }
        boolean usesCluster = !cat.cluster().isEmpty() && sp.usesClusterEndpoints();
        boolean usesLocal = !cat.local().isEmpty() && sp.usesLocalEndpoints();
        if (usesCluster) {
            b.chain(clusterChain);
        }
        if (usesLocal) {
            b.chain(localChain);
        }
        boolean hasAny = cat.hasAny();
        String internalChain = sp.internalPolicyLocal() ? localChain : clusterChain;
        boolean hasInternal = hasAny && (!sp.internalPolicyLocal() || !cat.local().isEmpty());
        String externalPolicyChain = sp.externalPolicyLocal() ? localChain : clusterChain;
        boolean hasExternal = hasAny && (!sp.externalPolicyLocal() || !cat.local().isEmpty());
        boolean usesExt = hasAny && sp.externallyAccessible();
        if (usesExt) {
            b.chain(extChain);
        }
        String internalVerdict = hasAny ? "drop" : "goto " + ChainNames.REJECT;
        String externalVerdict = internalVerdict;

        String port = Integer.toString(sp.port());
        b.element(ChainNames.CLUSTER_IPS, sp.clusterIP(), null);
        String cipKey = sp.clusterIP() + " . " + proto + " . " + port;
        if (hasInternal) {
            b.element(ChainNames.SERVICE_IPS, cipKey, "goto " + internalChain);
        } else {
            b.element(ChainNames.NO_ENDPOINT_SERVICES, cipKey, internalVerdict);
        }
        for (String ip : sp.externalIPs()) {
            String k = ip + " . " + proto + " . " + port;
            if (hasAny) {
                b.element(ChainNames.SERVICE_IPS, k, "goto " + extChain);
            }
            if (!hasExternal) {
                b.element(ChainNames.NO_ENDPOINT_SERVICES, k, externalVerdict);
            }
        }
        if (sp.firewalled()) {
            String fw = ChainNames.firewall(key);
            b.chain(fw).add(firewallRule(ipX, sp, s));
        }
        for (String ip : sp.loadBalancerIPs()) {
            String k = ip + " . " + proto + " . " + port;
            if (hasAny) {
                b.element(ChainNames.SERVICE_IPS, k, "goto " + extChain);
            }
            if (sp.firewalled()) {
                b.element(ChainNames.FIREWALL_IPS, k, "goto " + ChainNames.firewall(key));
            }
            if (!hasExternal) {
                b.element(ChainNames.NO_ENDPOINT_SERVICES, k, externalVerdict);
            }
        }
        if (sp.nodePort() != 0) {
            String k = proto + " . " + sp.nodePort();
            if (hasAny) {
                b.element(ChainNames.SERVICE_NODEPORTS, k, "goto " + extChain);
            }
            if (!hasExternal) {
                b.element(ChainNames.NO_ENDPOINT_NODEPORTS, k, externalVerdict);
            }
        }

        if (usesExt) {
            List<String> ext = b.chain(extChain);
            if (!sp.externalPolicyLocal()) {
                ext.add("jump " + ChainNames.MARK_MASQ);
            } else {
                // Pods and the node itself reach an external address as if they went out and back in: they
                // are not subject to the Local policy (with internalTrafficPolicy Local too, the local chain).
                String shortCircuit = usesCluster ? clusterChain : usesLocal ? localChain : null;
                if (!s.clusterCidrs().isEmpty() && shortCircuit != null) {
                    ext.add(ipX + " saddr " + set(s.clusterCidrs()) + " goto " + shortCircuit
                            + " comment \"short-circuit pod traffic\"");
                }
                ext.add("fib saddr type local jump " + ChainNames.MARK_MASQ + " comment \"masquerade local traffic\"");
                if (shortCircuit != null) {
                    ext.add("fib saddr type local goto " + shortCircuit + " comment \"short-circuit local traffic\"");
                }
            }
            if (hasExternal) {
                ext.add("goto " + externalPolicyChain);
            }
        }
        if (sp.sessionAffinity()) {
            for (Endpoint e : cat.allReachable()) {
                String name = affinitySets.get(e);
                b.sets.put(name, new NftSet(name, "type " + s.family().addrType() + " ; flags dynamic,timeout ; timeout "
                        + sp.affinityTimeoutSeconds() + "s ;"));
            }
        }
        if (usesCluster) {
            endpointDispatch(b, clusterChain, sp, cat.cluster(), ipX, epChains, affinitySets);
        }
        if (usesLocal) {
            endpointDispatch(b, localChain, sp, cat.local(), ipX, epChains, affinitySets);
        }
        if (sp.sessionAffinity()) {
            for (Endpoint e : cat.allReachable()) {
                List<String> rules = b.chain(epChains.get(e));
                rules.add("update @" + affinitySets.get(e) + " { " + ipX + " saddr }");
                rules.addAll(dnat(proto, ipX, List.of(e)));
            }
        }
    }

    private static void endpointDispatch(Builder b, String name, ServicePort sp, List<Endpoint> endpoints,
            String ipX, Map<Endpoint, String> epChains, Map<Endpoint, String> affinitySets) {
        if (!sp.sessionAffinity()) {
            b.rules(name, dnat(sp.protocol(), ipX, endpoints));
            return;
        }
        List<String> chain = b.chain(name);
        for (Endpoint e : endpoints) {
            chain.add(ipX + " saddr @" + affinitySets.get(e) + " goto " + epChains.get(e));
        }
        StringBuilder vmap = new StringBuilder("numgen random mod ").append(endpoints.size()).append(" vmap { ");
        for (int i = 0; i < endpoints.size(); i++) {
            vmap.append(i == 0 ? "" : ", ").append(i).append(" : goto ").append(epChains.get(endpoints.get(i)));
        }
        chain.add(vmap.append(" }").toString());
    }

    /**
     * Above this many endpoints a port's chain picks its endpoint through an anonymous map instead of a rule per
     * endpoint: each anonymous set costs the kernel work that grows with the number of sets in the transaction
     * (10,000 of them made a cold start take 18 s of kernel time on 6.18, against 4 s with rules), while each
     * rule costs a new connection one more comparison.
     */
    static final int MAX_RULES_PER_DISPATCH = 32;

    /**
     * DNAT to one endpoint; to a random one of several, as kube-proxy's iptables mode, by a rule per endpoint:
     * rule {@code i} of {@code N} takes the connection with probability {@code 1/(N-i)} ({@code numgen random mod
     * N-i 0}, a fresh number per rule), which makes the choice uniform, the last rule takes what is left. No set
     * is made, so an endpoint change rewrites this chain only. Beyond {@link #MAX_RULES_PER_DISPATCH} endpoints:
     * {@code numgen random mod N map { i : address . port }}. The rules are {@link DnatRules}, written out when
     * read.
     */
    private static List<String> dnat(String proto, String ipX, List<Endpoint> endpoints) {
        int n = endpoints.size();
        if (n > MAX_RULES_PER_DISPATCH) {
            StringBuilder map = new StringBuilder("meta l4proto ").append(proto).append(" dnat ").append(ipX)
                    .append(" to numgen random mod ").append(n).append(" map { ");
            for (int i = 0; i < n; i++) {
                Endpoint e = endpoints.get(i);
                map.append(i == 0 ? "" : ", ").append(i).append(" : ").append(e.ip()).append(" . ").append(e.port());
            }
            return List.of(map.append(" }").toString());
        }
        return new DnatRules(proto, ipX, endpoints);
    }

    private static String firewallRule(String ipX, ServicePort sp, RenderSettings s) {
        Set<String> sources = new LinkedHashSet<>(sp.loadBalancerSourceRanges());
        boolean allowFromNode = false;
        for (String r : sp.loadBalancerSourceRanges()) {
            Cidr c = Cidr.parse(r);
            allowFromNode |= s.nodeIPs().stream().anyMatch(ip -> c.contains(IpAddress.parse(ip)));
        }
        if (allowFromNode) {
            sources.addAll(sp.loadBalancerIPs());
        }
        if (sources.isEmpty()) {
            return "drop comment \"no loadBalancerSourceRanges of this family\"";
        }
        return ipX + " saddr != " + set(List.copyOf(sources)) + " drop";
    }

    private static String set(List<String> items) {
        return "{ " + String.join(", ", items) + " }";
    }

    private static final class Builder {
        final Map<String, List<String>> chains = new LinkedHashMap<>();
        final Map<String, NftSet> sets = new LinkedHashMap<>();
        final Set<NftElement> elements = new LinkedHashSet<>();

        List<String> chain(String name) {
            return chains.computeIfAbsent(name, n -> new ArrayList<>());
        }

        /** Gives a chain that has no rules yet {@code rules} themselves (kept as they are, not copied). */
        void rules(String name, List<String> rules) {
            List<String> c = chain(name);
            if (c.isEmpty()) {
                chains.put(name, rules);
            } else {
                c.addAll(rules);
            }
        }

        void element(String container, String key, String value) {
            elements.add(new NftElement(container, key, value));
        }
    }
}
