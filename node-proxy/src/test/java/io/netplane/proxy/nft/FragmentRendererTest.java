package io.netplane.proxy.nft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.netplane.api.net.IpFamily;
import io.netplane.proxy.model.Endpoint;
import io.netplane.proxy.model.NodeTopology;
import io.netplane.proxy.model.PlannedPort;
import io.netplane.proxy.model.ServicePort;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Service port → rules, checked against kube-proxy's nftables mode. Node "node-a" (192.168.50.1), cluster CIDR
 * 10.244.0.0/16. Each row lists rules that must be present and rules that must not be.
 */
class FragmentRendererTest {
    static final RenderSettings SETTINGS =
            new RenderSettings(NftFamily.IP, List.of("10.244.0.0/16"), List.of("192.168.50.1"));
    static final NodeTopology NODE = new NodeTopology("node-a", "zone-a", true);

    record Port(int nodePort, List<String> externalIPs, List<String> lbIPs, List<String> ranges, int affinity,
            boolean itpL, boolean etpL) {
        static Port clusterIP() {
            return new Port(0, List.of(), List.of(), List.of(), 0, false, false);
        }

        Port nodePort(int n) {
            return new Port(n, externalIPs, lbIPs, ranges, affinity, itpL, etpL);
        }

        Port external(String ip) {
            return new Port(nodePort, List.of(ip), lbIPs, ranges, affinity, itpL, etpL);
        }

        Port lb(String ip, String... r) {
            return new Port(nodePort, externalIPs, List.of(ip), List.of(r), affinity, itpL, etpL);
        }

        Port affinity(int t) {
            return new Port(nodePort, externalIPs, lbIPs, ranges, t, itpL, etpL);
        }

        Port itpLocal() {
            return new Port(nodePort, externalIPs, lbIPs, ranges, affinity, true, etpL);
        }

        Port etpLocal() {
            return new Port(nodePort, externalIPs, lbIPs, ranges, affinity, itpL, true);
        }

        ServicePort build() {
            boolean ext = nodePort != 0 || !externalIPs.isEmpty() || !lbIPs.isEmpty();
            return new ServicePort("ns", "web", "http", "tcp", IpFamily.IPv4, "10.96.0.10", 80, nodePort, externalIPs,
                    lbIPs, ranges, !ranges.isEmpty() && !lbIPs.isEmpty(), affinity, itpL, ext && etpL, 0);
        }
    }

    static final Endpoint REMOTE = Endpoint.ready("10.244.2.5", 8080, false);
    static final Endpoint LOCAL = Endpoint.ready("10.244.1.7", 8080, true);
    static final Endpoint TERMINATING = new Endpoint("10.244.3.3", 8080, false, true, true, false, Set.of(), Set.of());

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("ClusterIP: map element to the service chain, random choice among 2 by a rule each (1/2, then the rest), hairpin element for the local one",
                        Port.clusterIP(), List.of(LOCAL, REMOTE),
                        List.of("cluster-ips [10.96.0.10]",
                                "service-ips [10.96.0.10 . tcp . 80 : goto service:http]",
                                "service:http: meta l4proto tcp numgen random mod 2 0 dnat ip to 10.244.1.7:8080",
                                "service:http: meta l4proto tcp dnat ip to 10.244.2.5:8080",
                                "hairpin-ips [10.244.1.7 . 10.244.1.7]"),
                        List.of("no-endpoint-services [10.96.0.10 . tcp . 80 : goto reject-chain]",
                                "hairpin-ips [10.244.2.5 . 10.244.2.5]")),
                Arguments.of("no endpoints at all: ClusterIP rejects, no chains",
                        Port.clusterIP(), List.of(),
                        List.of("cluster-ips [10.96.0.10]", "no-endpoint-services [10.96.0.10 . tcp . 80 : goto reject-chain]"),
                        List.of("service-ips [10.96.0.10 . tcp . 80 : goto service:http]")),
                Arguments.of("only a serving+terminating endpoint: it is used (fallback)",
                        Port.clusterIP(), List.of(TERMINATING),
                        List.of("service:http: meta l4proto tcp dnat ip to 10.244.3.3:8080"),
                        List.of("no-endpoint-services [10.96.0.10 . tcp . 80 : goto reject-chain]")),
                Arguments.of("NodePort with Cluster policy: external chain masquerades then goes to the service chain",
                        Port.clusterIP().nodePort(30080), List.of(REMOTE),
                        List.of("service-nodeports [tcp . 30080 : goto external:http]",
                                "external:http: jump mark-for-masquerade", "external:http: goto service:http"),
                        List.of()),
                Arguments.of("NodePort without endpoints rejects on the node port too",
                        Port.clusterIP().nodePort(30080), List.of(),
                        List.of("no-endpoint-nodeports [tcp . 30080 : goto reject-chain]"),
                        List.of("service-nodeports [tcp . 30080 : goto external:http]")),
                Arguments.of("externalIP with Local policy: client IP kept, pods and node short-circuit to cluster chain",
                        Port.clusterIP().external("192.168.60.10").etpLocal(), List.of(LOCAL, REMOTE),
                        List.of("service-ips [192.168.60.10 . tcp . 80 : goto external:http]",
                                "external:http: ip saddr { 10.244.0.0/16 } goto service:http comment \"short-circuit pod traffic\"",
                                "external:http: fib saddr type local jump mark-for-masquerade comment \"masquerade local traffic\"",
                                "external:http: fib saddr type local goto service:http comment \"short-circuit local traffic\"",
                                "external:http: goto local:http",
                                "local:http: meta l4proto tcp dnat ip to 10.244.1.7:8080"),
                        List.of("external:http: jump mark-for-masquerade")),
                Arguments.of("Local policy with no local endpoint: external traffic dropped, ClusterIP still served",
                        Port.clusterIP().nodePort(30080).etpLocal(), List.of(REMOTE),
                        List.of("no-endpoint-nodeports [tcp . 30080 : drop]",
                                "service-nodeports [tcp . 30080 : goto external:http]",
                                "service-ips [10.96.0.10 . tcp . 80 : goto service:http]"),
                        List.of("external:http: goto local:http")),
                Arguments.of("internalTrafficPolicy Local without local endpoints: ClusterIP traffic dropped",
                        Port.clusterIP().itpLocal(), List.of(REMOTE),
                        List.of("no-endpoint-services [10.96.0.10 . tcp . 80 : drop]"),
                        List.of("service-ips [10.96.0.10 . tcp . 80 : goto service:http]")),
                Arguments.of("internalTrafficPolicy Local: ClusterIP goes to the local chain with local endpoints only",
                        Port.clusterIP().itpLocal(), List.of(LOCAL, REMOTE),
                        List.of("service-ips [10.96.0.10 . tcp . 80 : goto local:http]",
                                "local:http: meta l4proto tcp dnat ip to 10.244.1.7:8080"),
                        List.of("hairpin-ips [10.244.2.5 . 10.244.2.5]")),
                Arguments.of("LoadBalancer with source ranges: firewall map entry and chain dropping other sources",
                        Port.clusterIP().nodePort(30080).lb("192.168.70.10", "192.168.51.0/24"), List.of(REMOTE),
                        List.of("service-ips [192.168.70.10 . tcp . 80 : goto external:http]",
                                "firewall-ips [192.168.70.10 . tcp . 80 : goto firewall:http]",
                                "firewall:http: ip saddr != { 192.168.51.0/24 } drop"),
                        List.of()),
                Arguments.of("source range holding the node IP also admits the LB IP (node traffic loops back from it)",
                        Port.clusterIP().lb("192.168.70.10", "192.168.50.0/24"), List.of(REMOTE),
                        List.of("firewall:http: ip saddr != { 192.168.50.0/24, 192.168.70.10 } drop"), List.of()),
                Arguments.of("ClientIP affinity: per-endpoint chains and timeout sets, checked before the random choice",
                        Port.clusterIP().affinity(300), List.of(REMOTE),
                        List.of("set affinity:10.244.2.5/8080 type ipv4_addr ; flags dynamic,timeout ; timeout 300s ;",
                                "service:http: ip saddr @affinity:10.244.2.5/8080 goto endpoint:10.244.2.5/8080",
                                "service:http: numgen random mod 1 vmap { 0 : goto endpoint:10.244.2.5/8080 }",
                                "endpoint:10.244.2.5/8080: update @affinity:10.244.2.5/8080 { ip saddr }",
                                "endpoint:10.244.2.5/8080: meta l4proto tcp dnat ip to 10.244.2.5:8080"),
                        List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void renders(String name, Port port, List<Endpoint> endpoints, List<String> present, List<String> absent) {
        ServiceFragment f = FragmentRenderer.render("ns/web", List.of(new PlannedPort(port.build(), endpoints)),
                NODE, SETTINGS);
        List<String> lines = FragmentText.lines(f);
        assertThat(lines).as(String.join("\n", lines)).containsAll(present);
        if (!absent.isEmpty()) {
            assertThat(lines).doesNotContainAnyElementsOf(absent);
        }
    }

    @org.junit.jupiter.api.Test
    void udpAndTcpOnTheSamePortAreSeparateChainsAndElements() {
        ServicePort tcp = Port.clusterIP().build();
        ServicePort udp = new ServicePort("ns", "web", "http", "udp", IpFamily.IPv4, "10.96.0.10", 80, 0, List.of(),
                List.of(), List.of(), false, 0, false, false, 0);
        ServiceFragment f = FragmentRenderer.render("ns/web",
                List.of(new PlannedPort(tcp, List.of(LOCAL)), new PlannedPort(udp, List.of(LOCAL))), NODE, SETTINGS);
        assertThat(f.elements()).extracting(NftElement::key)
                .contains("10.96.0.10 . tcp . 80", "10.96.0.10 . udp . 80");
        assertThat(f.chains()).extracting(NftChain::name).doesNotHaveDuplicates().hasSize(2);
        assertThat(FragmentText.lines(f)).anyMatch(l -> l.endsWith("meta l4proto udp dnat ip to 10.244.1.7:8080"));
        assertThat(f.elements()).filteredOn(e -> e.container().equals(ChainNames.HAIRPIN_IPS)).hasSize(1);
    }

    @org.junit.jupiter.api.Test
    void withoutAffinityNoChainPerEndpointWhateverTheEndpointCount() {
        Port p = Port.clusterIP().nodePort(30080).lb("192.168.70.10", "192.168.51.0/24").etpLocal();
        List<Endpoint> many = new java.util.ArrayList<>(List.of(LOCAL));
        for (int i = 1; i <= 50; i++) {
            many.add(Endpoint.ready("10.244.9." + i, 8080, false));
        }
        ServiceFragment f = FragmentRenderer.render("ns/web", List.of(new PlannedPort(p.build(), many)), NODE, SETTINGS);
        assertThat(f.chains()).extracting(c -> FragmentText.shorten(c.name()))
                .containsExactlyInAnyOrder("service:http", "local:http", "external:http", "firewall:http");
        assertThat(f.sets()).isEmpty();
        assertThat(f.elements()).filteredOn(e -> e.container().equals(ChainNames.HAIRPIN_IPS)).as("the local one")
                .hasSize(1);
    }

    @org.junit.jupiter.api.Test
    void aRulePerEndpointPicksEachWithTheSameProbability() {
        for (int n = 2; n <= FragmentRenderer.MAX_RULES_PER_DISPATCH; n++) {
            List<Endpoint> eps = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                eps.add(Endpoint.ready("10.244.9." + (i + 1), 8080, false));
            }
            ServiceFragment f = FragmentRenderer.render("ns/web", List.of(new PlannedPort(Port.clusterIP().build(), eps)),
                    NODE, SETTINGS);
            List<String> rules = f.chains().get(0).rules();
            assertThat(rules).hasSize(n);
            // P(rule i) = P(no earlier rule matched) * 1/mod_i, and the last rule has no condition
            double reach = 1;
            for (int i = 0; i < n; i++) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("numgen random mod (\\d+) 0 ").matcher(rules.get(i));
                double take = m.find() ? 1.0 / Integer.parseInt(m.group(1)) : 1.0;
                assertThat(reach * take).as("n=%d, endpoint %d", n, i).isCloseTo(1.0 / n, within(1e-12));
                assertThat(rules.get(i)).endsWith("dnat ip to 10.244.9." + (i + 1) + ":8080");
                reach *= 1 - take;
            }
            assertThat(reach).isZero();
        }
    }

    @org.junit.jupiter.api.Test
    void moreEndpointsThanTheRuleLimitUseOneNumgenMap() {
        List<Endpoint> eps = new java.util.ArrayList<>();
        for (int i = 0; i <= FragmentRenderer.MAX_RULES_PER_DISPATCH; i++) {
            eps.add(Endpoint.ready("10.244.9." + (i + 1), 8080, false));
        }
        ServiceFragment f = FragmentRenderer.render("ns/web", List.of(new PlannedPort(Port.clusterIP().build(), eps)),
                NODE, SETTINGS);
        assertThat(f.chains().get(0).rules()).singleElement().asString()
                .startsWith("meta l4proto tcp dnat ip to numgen random mod 33 map { 0 : 10.244.9.1 . 8080, 1 : 10.244.9.2 . 8080")
                .endsWith("32 : 10.244.9.33 . 8080 }");
    }

    @org.junit.jupiter.api.Test
    void ipv6UsesIp6MatchesAndBracketedDnatTargets() {
        ServicePort v6 = new ServicePort("ns", "web", "http", "tcp", IpFamily.IPv6, "fd00:96::10", 80, 0, List.of(),
                List.of(), List.of(), false, 0, false, false, 0);
        RenderSettings s6 = new RenderSettings(NftFamily.IP6, List.of("fd00:244::/64"), List.of());
        ServiceFragment one = FragmentRenderer.render("ns/web",
                List.of(new PlannedPort(v6, List.of(Endpoint.ready("fd00:244::5", 8080, true)))), NODE, s6);
        assertThat(FragmentText.lines(one)).contains(
                "service-ips [fd00:96::10 . tcp . 80 : goto service:http]",
                "service:http: meta l4proto tcp dnat ip6 to [fd00:244::5]:8080",
                "hairpin-ips [fd00:244::5 . fd00:244::5]");
        ServiceFragment two = FragmentRenderer.render("ns/web", List.of(new PlannedPort(v6,
                List.of(Endpoint.ready("fd00:244::5", 8080, false), Endpoint.ready("fd00:244::6", 8081, false)))), NODE, s6);
        assertThat(FragmentText.lines(two)).contains(
                "service:http: meta l4proto tcp numgen random mod 2 0 dnat ip6 to [fd00:244::5]:8080",
                "service:http: meta l4proto tcp dnat ip6 to [fd00:244::6]:8081");
    }
}
