package io.netplane.proxy.model;

import static io.netplane.proxy.fixtures.ServiceBuilder.service;
import static io.netplane.proxy.fixtures.SliceBuilder.slice;
import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.api.events.EndpointSliceView;
import io.netplane.api.events.ServiceView;
import io.netplane.api.net.IpFamily;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Service + slices → service ports and endpoints (IPv4 proxy on node "node-a"). Each row shows the ports as
 * {@code portKey -> endpoint ids} and the number of problems reported.
 */
class ServicePlannerTest {

    static EndpointSliceView web(String... ips) {
        var b = slice("ns", "web-1", "web").port("http", "TCP", 8080);
        for (String ip : ips) {
            b.ready(ip, "node-a");
        }
        return b.build();
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("ClusterIP with one port and two endpoints (sorted by address)",
                        service("ns", "web", "10.96.0.10").port("http", "TCP", 80, 8080).build(),
                        List.of(web("10.0.0.9", "10.0.0.10")),
                        List.of("ns/web/tcp/http -> [10.0.0.9:8080, 10.0.0.10:8080]"), 0),
                Arguments.of("headless Service is ignored",
                        service("ns", "web", null).headless().port("http", "TCP", 80, 8080).build(),
                        List.of(web("10.0.0.9")), List.of(), 0),
                Arguments.of("ExternalName Service is ignored",
                        service("ns", "web", null).type("ExternalName").build(), List.of(), List.of(), 0),
                Arguments.of("Service labelled for another proxy is ignored",
                        service("ns", "web", "10.96.0.10").proxyName("other").port("http", "TCP", 80, 8080).build(),
                        List.of(web("10.0.0.9")), List.of(), 0),
                Arguments.of("slices labelled service.kubernetes.io/headless or for another proxy are not used",
                        service("ns", "web", "10.96.0.10").port("http", "TCP", 80, 8080).build(),
                        List.of(slice("ns", "h", "web").headlessLabel().port("http", "TCP", 8080)
                                        .ready("10.0.0.1", "n").build(),
                                slice("ns", "p", "web").proxyName("other").port("http", "TCP", 8080)
                                        .ready("10.0.0.2", "n").build(),
                                slice("ns", "ok", "web").port("http", "TCP", 8080).ready("10.0.0.3", "n").build()),
                        List.of("ns/web/tcp/http -> [10.0.0.3:8080]"), 0),
                Arguments.of("a port name longer than a container port's 15 characters is valid for a Service",
                        service("ns", "web", "10.96.0.10").port("service-port-tcp-80", "TCP", 80, 8080).build(),
                        List.of(slice("ns", "w", "web").port("service-port-tcp-80", "TCP", 8080)
                                .ready("10.0.0.3", "n").build()),
                        List.of("ns/web/tcp/service-port-tcp-80 -> [10.0.0.3:8080]"), 0),
                Arguments.of("a port name that is not a DNS-1123 label is dropped and reported",
                        service("ns", "web", "10.96.0.10").port("Web_Port", "TCP", 80, 8080).build(),
                        List.of(web("10.0.0.9")), List.of(), 1),
                Arguments.of("IPv6-only Service has nothing for the IPv4 table",
                        service("ns", "web", "fd00::10").port("http", "TCP", 80, 8080).build(),
                        List.of(web("10.0.0.9")), List.of(), 0),
                Arguments.of("slice port matched by name and protocol: UDP slice port does not serve a TCP port",
                        service("ns", "dns", "10.96.0.53").port("dns", "UDP", 53, 53).port("dns-tcp", "TCP", 53, 53).build(),
                        List.of(slice("ns", "dns-1", "dns").port("dns", "UDP", 53).port("dns-tcp", "TCP", 53)
                                .ready("10.0.0.5", "node-b").build()),
                        List.of("ns/dns/udp/dns -> [10.0.0.5:53]", "ns/dns/tcp/dns-tcp -> [10.0.0.5:53]"), 0),
                Arguments.of("same port number, TCP and UDP kept distinct",
                        service("ns", "dns", "10.96.0.53").port("a", "UDP", 53, 53).port("b", "TCP", 53, 1053).build(),
                        List.of(slice("ns", "dns-1", "dns").port("a", "UDP", 53).port("b", "TCP", 1053)
                                .ready("10.0.0.5", "node-b").build()),
                        List.of("ns/dns/udp/a -> [10.0.0.5:53]", "ns/dns/tcp/b -> [10.0.0.5:1053]"), 0),
                Arguments.of("slices of another Service, namespace or family are not used",
                        service("ns", "web", "10.96.0.10").port("http", "TCP", 80, 8080).build(),
                        List.of(slice("ns", "x", "other").port("http", "TCP", 8080).ready("10.0.0.1", "n").build(),
                                slice("other", "y", "web").port("http", "TCP", 8080).ready("10.0.0.2", "n").build(),
                                slice("ns", "z", "web").addressType("IPv6").port("http", "TCP", 8080)
                                        .ready("fd00::3", "n").build()),
                        List.of("ns/web/tcp/http -> []"), 0),
                Arguments.of("the same endpoint in two slices is used once",
                        service("ns", "web", "10.96.0.10").port("http", "TCP", 80, 8080).build(),
                        List.of(web("10.0.0.9"), slice("ns", "web-2", "web").port("http", "TCP", 8080)
                                .ready("10.0.0.9", "node-a").build()),
                        List.of("ns/web/tcp/http -> [10.0.0.9:8080]"), 0),
                Arguments.of("invalid endpoint address: skipped and reported, others kept",
                        service("ns", "web", "10.96.0.10").port("http", "TCP", 80, 8080).build(),
                        List.of(web("10.0.0.9", "10.0.0.300")),
                        List.of("ns/web/tcp/http -> [10.0.0.9:8080]"), 1),
                Arguments.of("invalid ClusterIP: the whole Service is dropped and reported",
                        service("ns", "web", "10.96.0.999").port("http", "TCP", 80, 8080).build(),
                        List.of(web("10.0.0.9")), List.of(), 1),
                Arguments.of("unsupported protocol: that port is dropped and reported",
                        service("ns", "web", "10.96.0.10").port("http", "TCP", 80, 8080).port("x", "ICMP", 1, 1).build(),
                        List.of(web("10.0.0.9")), List.of("ns/web/tcp/http -> [10.0.0.9:8080]"), 1),
                Arguments.of("invalid externalIP: dropped and reported, the Service still works",
                        service("ns", "web", "10.96.0.10").port("http", "TCP", 80, 8080).externalIPs("1.2.3", "192.0.2.1").build(),
                        List.of(web("10.0.0.9")), List.of("ns/web/tcp/http -> [10.0.0.9:8080]"), 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void plans(String name, ServiceView svc, List<EndpointSliceView> slices, List<String> expected, int problems) {
        ServicePlan plan = ServicePlanner.plan(svc, slices, IpFamily.IPv4, "node-a", null);
        assertThat(plan.ports().stream().map(p -> p.port().portKey() + " -> "
                + p.endpoints().stream().map(Endpoint::id).toList()).toList()).isEqualTo(expected);
        assertThat(plan.problems()).as("problems %s", plan.problems()).hasSize(problems);
    }

    static Stream<Arguments> portFields() {
        return Stream.of(
                Arguments.of("ClientIP affinity without timeout uses kube-proxy's 10800 s",
                        service("ns", "web", "10.96.0.10").port("http", "TCP", 80, 8080).clientIpAffinity(null).build(),
                        "affinity=10800 extLocal=false hc=0 fw=false"),
                Arguments.of("ClientIP affinity with its timeout",
                        service("ns", "web", "10.96.0.10").port("http", "TCP", 80, 8080).clientIpAffinity(60).build(),
                        "affinity=60 extLocal=false hc=0 fw=false"),
                Arguments.of("externalTrafficPolicy Local on a LoadBalancer keeps its healthCheckNodePort",
                        service("ns", "web", "10.96.0.10").nodePort("http", "TCP", 80, 8080, 30080)
                                .loadBalancer("192.0.2.10").externalLocal(32000).build(),
                        "affinity=0 extLocal=true hc=32000 fw=false"),
                Arguments.of("externalTrafficPolicy Local on a plain ClusterIP is meaningless",
                        service("ns", "web", "10.96.0.10").port("http", "TCP", 80, 8080).externalLocal(null).build(),
                        "affinity=0 extLocal=false hc=0 fw=false"),
                Arguments.of("loadBalancerSourceRanges firewall the LoadBalancer IPs",
                        service("ns", "web", "10.96.0.10").nodePort("http", "TCP", 80, 8080, 30080)
                                .loadBalancer("192.0.2.10").sourceRanges("198.51.100.0/24").build(),
                        "affinity=0 extLocal=false hc=0 fw=true"),
                Arguments.of("loadBalancerSourceRanges without a LoadBalancer IP do nothing",
                        service("ns", "web", "10.96.0.10").port("http", "TCP", 80, 8080)
                                .sourceRanges("198.51.100.0/24").build(),
                        "affinity=0 extLocal=false hc=0 fw=false"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("portFields")
    void derivesPortPolicy(String name, ServiceView svc, String expected) {
        ServicePort p = ServicePlanner.plan(svc, List.of(), IpFamily.IPv4, "node-a", null).ports().get(0).port();
        assertThat("affinity=" + p.affinityTimeoutSeconds() + " extLocal=" + p.externalPolicyLocal() + " hc="
                + p.healthCheckNodePort() + " fw=" + p.firewalled()).isEqualTo(expected);
    }
}
