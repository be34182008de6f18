package io.netplane.ingress.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress;
import io.netplane.api.events.RouteView;
import io.netplane.api.events.RouteView.BackendView;
import io.netplane.api.events.RouteView.PathView;
import io.netplane.api.events.RouteView.RuleView;
import io.netplane.api.report.Problem;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StatusAndConflictTest {

    static String show(List<IngressLoadBalancerIngress> addresses) {
        return String.join(",", addresses.stream().map(a -> a.getIp() != null ? "ip:" + a.getIp() : "host:" + a.getHostname()).toList());
    }

    @Test
    void configuredAddressesWinOverThePublishService() {
        var service = new ServiceBuilder().withNewStatus().withNewLoadBalancer().addNewIngress().withIp("198.51.100.7")
                .endIngress().addNewIngress().withHostname("lb.example.net").endIngress().endLoadBalancer().endStatus().build();
        assertThat(show(IngressStatusWriter.addresses(List.of("192.0.2.1", "2001:db8::1", "ingress.example.com"), service,
                "127.0.0.1"))).isEqualTo("ip:192.0.2.1,ip:2001:db8::1,host:ingress.example.com");
    }

    static Stream<Arguments> defaults() {
        return Stream.of(
                Arguments.of("a LoadBalancer Service: its load-balancer addresses", new ServiceBuilder().withNewSpec()
                        .withType("LoadBalancer").withClusterIPs("10.96.0.50").endSpec().withNewStatus().withNewLoadBalancer()
                        .addNewIngress().withIp("198.51.100.7").endIngress().addNewIngress().withHostname("lb.example.net")
                        .endIngress().endLoadBalancer().endStatus().build(), "0.0.0.0", "ip:198.51.100.7,host:lb.example.net"),
                Arguments.of("... and its external IPs after them", new ServiceBuilder().withNewSpec().withType("LoadBalancer")
                        .withExternalIPs("203.0.113.4").endSpec().withNewStatus().withNewLoadBalancer().addNewIngress()
                        .withIp("198.51.100.7").endIngress().endLoadBalancer().endStatus().build(), null,
                        "ip:198.51.100.7,ip:203.0.113.4"),
                Arguments.of("a LoadBalancer Service not yet given an address: its ClusterIP", new ServiceBuilder()
                        .withNewSpec().withType("LoadBalancer").withClusterIP("10.96.0.50").endSpec().build(), "0.0.0.0",
                        "ip:10.96.0.50"),
                Arguments.of("a ClusterIP Service with external IPs: the external IPs", new ServiceBuilder().withNewSpec()
                        .withClusterIPs("10.96.0.50").withExternalIPs("203.0.113.4").endSpec().build(), null,
                        "ip:203.0.113.4"),
                Arguments.of("a dual-stack ClusterIP Service: both ClusterIPs", new ServiceBuilder().withNewSpec()
                        .withClusterIPs("10.96.0.50", "fd00:96::50").endSpec().build(), null,
                        "ip:10.96.0.50,ip:fd00:96::50"),
                Arguments.of("a headless Service has no address; the listen address is used", new ServiceBuilder()
                        .withNewSpec().withClusterIP("None").endSpec().build(), "192.0.2.80", "ip:192.0.2.80"),
                Arguments.of("no Service: the gateway's listen address", null, "127.0.0.1", "ip:127.0.0.1"),
                Arguments.of("no Service, listening on every address: nothing to say", null, "0.0.0.0", ""),
                Arguments.of("no Service, listening on every IPv6 address: nothing to say", null, "::", ""),
                Arguments.of("no Service and no gateway in this process: nothing", null, null, ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("defaults")
    void withoutConfiguredAddressesTheGatewaysReachableAddressIsWritten(String why, Service service, String listen,
            String expected) {
        assertThat(show(IngressStatusWriter.addresses(List.of(), service, listen))).isEqualTo(expected);
    }

    static RouteView route(String name, long created, String className, String path) {
        return new RouteView("shop", name, "1", null, className, null,
                List.of(new RuleView("shop.example", List.of(new PathView(path, "Prefix", new BackendView(name, 80, "http"))))),
                List.of(), Instant.ofEpochSecond(created));
    }

    @Test
    void onlyTheNewerIngressOfTheSameClassHearsAboutAConflict() {
        RouteView old = route("old", 1, "netplane", "/cart");
        RouteView newer = route("newer", 2, "netplane", "/cart/");
        RouteView otherClass = route("other", 0, "nginx", "/cart");
        assertThat(IngressReconciler.conflictsLostBy(newer, List.of(old, otherClass))).extracting(Problem::reason)
                .containsExactly("RouteConflict");
        assertThat(IngressReconciler.conflictsLostBy(newer, List.of(old)).get(0).message())
                .isEqualTo("shop/newer loses shop.example Prefix /cart/ to shop/old (older Ingress wins)");
        assertThat(IngressReconciler.conflictsLostBy(old, List.of(newer, otherClass))).isEmpty();
        // its own earlier version on the topic is not a rival
        assertThat(IngressReconciler.conflictsLostBy(newer, List.of(newer))).isEmpty();
    }
}
