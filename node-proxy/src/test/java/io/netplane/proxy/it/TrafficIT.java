package io.netplane.proxy.it;

import static io.netplane.proxy.fixtures.ServiceBuilder.service;
import static io.netplane.proxy.fixtures.SliceBuilder.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netplane.api.events.IpSetView;
import io.netplane.api.events.NodeView;
import io.netplane.api.events.PolicyView;
import io.netplane.api.events.Topics;
import io.netplane.proxy.fixtures.NetnsAvailable;
import io.netplane.proxy.fixtures.NetnsLab;
import io.netplane.proxy.fixtures.NetnsLabResource;
import io.netplane.proxy.fixtures.ServiceBuilder;
import io.netplane.proxy.fixtures.SliceBuilder;
import io.netplane.runtime.kafka.EventPublisher;
import io.netplane.testing.kafka.KafkaTestResource;
import io.netplane.testing.kafka.SharedKafka;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import io.netplane.proxy.sync.Dataplane;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Real traffic through node-proxy's nftables rules: the proxy reads events from the real broker and programs
 * the node namespace of a {@link NetnsLab}; clients in other namespaces connect to Service addresses and the
 * backends answer with their name and the source address they saw.
 */
@ExtendWith(NetnsAvailable.class)
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(NetnsLabResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrafficIT {
    @Inject
    Dataplane dataplane;

    static EventPublisher publisher;
    static NetnsLab lab;

    @BeforeAll
    static void setUp() throws Exception {
        lab = NetnsLabResource.lab;
        publisher = new EventPublisher(SharedKafka.bootstrapServers(), "/netplane/test", Clock.systemUTC());
        publisher.publish(Topics.NODES, new NodeView(lab.node, "uid", "1", Instant.now(),
                List.of(new NodeView.NodeAddressView("InternalIP", NetnsLab.NODE_IP)), "zone-a", List.of(), true,
                4000, Map.of())).get();
    }

    @AfterAll
    static void tearDown() {
        publisher.close();
    }

    static void publish(ServiceBuilder svc, SliceBuilder... slices) throws Exception {
        publisher.publish(Topics.SERVICES, svc.build()).get();
        for (SliceBuilder s : slices) {
            publisher.publish(Topics.ENDPOINT_SLICES, s.build()).get();
        }
    }

    static SliceBuilder backends(String ns, String svc, String portName, String protocol, int... ks) {
        SliceBuilder s = slice(ns, svc + "-" + protocol.toLowerCase(), svc).port(portName, protocol, NetnsLab.BACKEND_PORT);
        for (int k : ks) {
            s.ready(NetnsLab.backendIp(k), lab.node);
        }
        return s;
    }

    /** Repeats {@code count} attempts until the answers satisfy {@code check} (rules are applied asynchronously). */
    static List<String> until(String from, String proto, String host, int port, int count, Predicate<List<String>> check) {
        List<String>[] last = new List[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
            last[0] = lab.connect(from, proto, host, port, count);
            return check.test(last[0]);
        });
        return last[0];
    }

    static Set<String> names(List<String> answers) {
        return answers.stream().map(a -> a.split(" ")[0]).collect(Collectors.toSet());
    }

    @Test
    void clusterIpSpreadsOverReadyBackendsAndKeepsThePodSource() throws Exception {
        publish(service("t1", "web", "10.96.240.10").port("http", "TCP", 80, NetnsLab.BACKEND_PORT),
                backends("t1", "web", "http", "TCP", 1, 2));
        List<String> answers = until(lab.client, "tcp", "10.96.240.10", 80, 30,
                a -> names(a).equals(Set.of("b1", "b2")));
        assertThat(answers).allMatch(a -> a.endsWith(" " + NetnsLab.CLIENT_IP), "pod source kept");
    }

    @Test
    void udpAndTcpOnTheSamePortGoWhereTheirProtocolSays() throws Exception {
        publish(service("t2", "dns", "10.96.240.53").port("dns", "UDP", 53, NetnsLab.BACKEND_PORT)
                        .port("dns-tcp", "TCP", 53, NetnsLab.BACKEND_PORT),
                backends("t2", "dns", "dns", "UDP", 3),
                backends("t2", "dns", "dns-tcp", "TCP", 1));
        until(lab.client, "udp", "10.96.240.53", 53, 5, a -> names(a).equals(Set.of("b3")));
        until(lab.client, "tcp", "10.96.240.53", 53, 5, a -> names(a).equals(Set.of("b1")));
    }

    @Test
    void dualStackServiceIsReachableOnBothFamilies() throws Exception {
        ServiceBuilder svc = service("t13", "dual", "10.96.240.20").port("http", "TCP", 80, NetnsLab.BACKEND_PORT);
        svc.clusterIPs.add("fd00:96::20");
        SliceBuilder v6 = slice("t13", "dual-v6", "dual").addressType("IPv6").port("http", "TCP", NetnsLab.BACKEND_PORT)
                .ready(NetnsLab.backendIp6(2), lab.node);
        publish(svc, backends("t13", "dual", "http", "TCP", 1), v6);
        until(lab.client, "tcp", "10.96.240.20", 80, 2, a -> names(a).equals(Set.of("b1")));
        List<String> answers = until(lab.client, "tcp", "fd00:96::20", 80, 2, a -> names(a).equals(Set.of("b2")));
        assertThat(answers).allMatch(a -> a.equals("b2 " + NetnsLab.CLIENT_IP6), "IPv6 pod source kept");
        long before = lab.unallocatedDrops("ip6", "netplane-proxy-it");
        assertThat(lab.connect(lab.client, "tcp", "fd00:96::99", 80, 1)).as("unallocated IPv6 ClusterIP")
                .containsOnly("TIMEOUT");
        assertThat(lab.unallocatedDrops("ip6", "netplane-proxy-it")).isGreaterThan(before);
    }

    @Test
    void staleUdpFlowsAreClearedWhenTheirEndpointGoes() throws Exception {
        publish(service("t12", "udp", "10.96.240.19").port("u", "UDP", 53, NetnsLab.BACKEND_PORT),
                backends("t12", "udp", "u", "UDP", 1));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() ->
                names(lab.connectFrom(lab.client, "udp", "10.96.240.19", 53, 1, 40123)).equals(Set.of("b1")));
        publish(service("t12", "udp", "10.96.240.19").port("u", "UDP", 53, NetnsLab.BACKEND_PORT),
                backends("t12", "udp", "u", "UDP", 2));
        // same source port, so the same conntrack entry: only its deletion lets the flow reach b2
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() ->
                names(lab.connectFrom(lab.client, "udp", "10.96.240.19", 53, 1, 40123)).equals(Set.of("b2")));
    }

    @Test
    void clientIpAffinityKeepsOneBackend() throws Exception {
        publish(service("t3", "sticky", "10.96.240.11").port("http", "TCP", 80, NetnsLab.BACKEND_PORT)
                        .clientIpAffinity(60),
                backends("t3", "sticky", "http", "TCP", 1, 2, 3));
        List<String> answers = until(lab.client, "tcp", "10.96.240.11", 80, 20, a -> !a.contains("TIMEOUT")
                && !a.contains("REFUSED") && a.size() == 20);
        assertThat(names(answers)).hasSize(1);
    }

    @Test
    void endpointChangesTakeEffectAndNoEndpointsRejects() throws Exception {
        publish(service("t4", "moving", "10.96.240.12").port("http", "TCP", 80, NetnsLab.BACKEND_PORT),
                backends("t4", "moving", "http", "TCP", 1));
        until(lab.client, "tcp", "10.96.240.12", 80, 5, a -> names(a).equals(Set.of("b1")));
        publish(service("t4", "moving", "10.96.240.12").port("http", "TCP", 80, NetnsLab.BACKEND_PORT),
                backends("t4", "moving", "http", "TCP", 3));
        until(lab.client, "tcp", "10.96.240.12", 80, 5, a -> names(a).equals(Set.of("b3")));
        publish(service("t4", "moving", "10.96.240.12").port("http", "TCP", 80, NetnsLab.BACKEND_PORT),
                backends("t4", "moving", "http", "TCP"));
        until(lab.client, "tcp", "10.96.240.12", 80, 3, a -> a.stream().allMatch("REFUSED"::equals));
    }

    @Test
    void unallocatedServiceAddressIsDroppedAndAWrongPortRejected() throws Exception {
        publish(service("t5", "only80", "10.96.240.13").port("http", "TCP", 80, NetnsLab.BACKEND_PORT),
                backends("t5", "only80", "http", "TCP", 2));
        until(lab.client, "tcp", "10.96.240.13", 80, 2, a -> names(a).equals(Set.of("b2")));
        assertThat(lab.connect(lab.client, "tcp", "10.96.240.13", 81, 2)).containsOnly("REFUSED");
        long before = lab.unallocatedDrops("ip", "netplane-proxy-it");
        assertThat(lab.connect(lab.client, "tcp", "10.96.240.200", 80, 2)).containsOnly("TIMEOUT");
        assertThat(lab.unallocatedDrops("ip", "netplane-proxy-it")).as("dropped by the service-range rule")
                .isGreaterThan(before);
    }

    @Test
    void nodePortWithClusterPolicyIsMasqueraded() throws Exception {
        publish(service("t6", "np", "10.96.240.14").nodePort("http", "TCP", 80, NetnsLab.BACKEND_PORT, 30080),
                backends("t6", "np", "http", "TCP", 2));
        List<String> answers = until(lab.ext1, "tcp", NetnsLab.NODE_IP, 30080, 3, a -> names(a).equals(Set.of("b2")));
        assertThat(answers).allMatch(a -> a.equals("b2 10.240.12.1"), "source is the node's address toward b2");
        // kube-proxy's nftables default (nodeport-addresses: primary): the node's other address does not answer
        assertThat(lab.connect(lab.ext2, "tcp", "192.168.241.1", 30080, 2)).containsOnly("REFUSED");
    }

    @Test
    void nodePortWithLocalPolicyUsesLocalEndpointsAndKeepsTheClientSource() throws Exception {
        SliceBuilder s = slice("t7", "local-tcp", "local").port("http", "TCP", NetnsLab.BACKEND_PORT)
                .ready(NetnsLab.backendIp(1), lab.node).ready(NetnsLab.backendIp(2), "some-other-node");
        publish(service("t7", "local", "10.96.240.15").nodePort("http", "TCP", 80, NetnsLab.BACKEND_PORT, 30081)
                .externalLocal(null), s);
        List<String> answers = until(lab.ext1, "tcp", NetnsLab.NODE_IP, 30081, 10, a -> a.size() == 10
                && a.stream().allMatch(x -> x.startsWith("b1")));
        assertThat(answers).allMatch(a -> a.equals("b1 " + NetnsLab.EXT1_IP));
        // from a Pod, the ClusterIP still uses every endpoint
        until(lab.client, "tcp", "10.96.240.15", 80, 30, a -> names(a).equals(Set.of("b1", "b2")));
    }

    @Test
    void externalIpAndLoadBalancerWithSourceRanges() throws Exception {
        publish(service("t8", "lb", "10.96.240.16").nodePort("http", "TCP", 80, NetnsLab.BACKEND_PORT, 30082)
                        .externalIPs("192.168.242.10").loadBalancer("192.168.243.10").sourceRanges("192.168.240.0/24"),
                backends("t8", "lb", "http", "TCP", 3));
        until(lab.ext1, "tcp", "192.168.242.10", 80, 2, a -> names(a).equals(Set.of("b3")));
        until(lab.ext1, "tcp", "192.168.243.10", 80, 2, a -> names(a).equals(Set.of("b3")));
        assertThat(lab.connect(lab.ext2, "tcp", "192.168.243.10", 80, 2)).containsOnly("TIMEOUT");
        // the externalIP is not firewalled: ext2 reaches it
        assertThat(names(lab.connect(lab.ext2, "tcp", "192.168.242.10", 80, 2))).containsOnly("b3");
    }

    @Test
    void hairpinTrafficIsMasqueraded() throws Exception {
        publish(service("t9", "self", "10.96.240.17").port("http", "TCP", 80, NetnsLab.BACKEND_PORT),
                backends("t9", "self", "http", "TCP", 1));
        List<String> answers = until(lab.backends.get(0), "tcp", "10.96.240.17", 80, 2,
                a -> names(a).equals(Set.of("b1")));
        assertThat(answers).allMatch(a -> a.equals("b1 10.240.11.1"), "backend reaching itself sees the node address");
    }

    @Test
    void onlyTheConnectionBackToItselfIsMasqueradedNotOneToAnotherEndpoint() throws Exception {
        publish(service("t14", "peers", "10.96.240.21").port("http", "TCP", 80, NetnsLab.BACKEND_PORT),
                backends("t14", "peers", "http", "TCP", 1, 2));
        List<String> answers = until(lab.backends.get(0), "tcp", "10.96.240.21", 80, 30,
                a -> names(a).equals(Set.of("b1", "b2")));
        assertThat(answers).allMatch(a -> a.equals("b1 10.240.11.1") || a.equals("b2 " + NetnsLab.backendIp(1)),
                "b1 reaching itself sees the node address, b2 sees b1");
    }

    @Test
    void invalidServiceIsSkippedOthersKeepWorking() throws Exception {
        publish(service("t10", "bad", "10.96.240.999").port("http", "TCP", 80, NetnsLab.BACKEND_PORT),
                backends("t10", "bad", "http", "TCP", 1));
        publish(service("t10", "good", "10.96.240.18").port("http", "TCP", 80, NetnsLab.BACKEND_PORT),
                backends("t10", "good", "http", "TCP", 2));
        until(lab.client, "tcp", "10.96.240.18", 80, 2, a -> names(a).equals(Set.of("b2")));
    }

    @Test
    @Order(1000)
    void networkPolicyFromKafkaIsEnforcedOnTheNode() throws Exception {
        String b2 = NetnsLab.backendIp(2);
        publisher.publish(Topics.IP_SETS, new IpSetView("t11-b2", "1", Instant.now(), "t11/b2",
                List.of(new IpSetView.MemberView("t11/b2", List.of(b2), lab.node, List.of())))).get();
        publisher.publish(Topics.IP_SETS, new IpSetView("t11-client", "1", Instant.now(), "t11/client",
                List.of(new IpSetView.MemberView("t11/client", List.of(NetnsLab.CLIENT_IP), lab.node, List.of())))).get();
        publisher.publish(Topics.POLICIES, new PolicyView("t11", "only-client", "1", Instant.now(), "t11-b2",
                List.of("Ingress"), List.of(new PolicyView.RuleView(List.of(new PolicyView.PeerView("t11-client", null,
                        List.of())), List.of(new PolicyView.PortView("TCP", NetnsLab.BACKEND_PORT, null, null)), null)),
                List.of())).get();
        until(lab.ext1, "tcp", b2, NetnsLab.BACKEND_PORT, 1, a -> a.equals(List.of("TIMEOUT")));
        assertThat(names(lab.connect(lab.client, "tcp", b2, NetnsLab.BACKEND_PORT, 2))).containsOnly("b2");
        assertThat(lab.connect(lab.client, "udp", b2, NetnsLab.BACKEND_PORT, 1)).as("UDP not allowed").containsOnly("TIMEOUT");
        publisher.tombstone(Topics.POLICIES, "t11/only-client").get();
        until(lab.ext1, "tcp", b2, NetnsLab.BACKEND_PORT, 1, a -> names(a).equals(Set.of("b2")));
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void cleanupRemovesTheTable() throws Exception {
        assertThat(lab.sh(lab.node, "nft list tables")).contains("table ip netplane-proxy-it", "table ip6 netplane-proxy-it");
        dataplane.remove();
        assertThat(lab.sh(lab.node, "nft list tables")).doesNotContain("netplane-proxy-it");
        assertThat(lab.connect(lab.client, "tcp", "10.96.240.13", 80, 1)).containsOnly("TIMEOUT");
    }
}
