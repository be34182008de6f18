package io.netplane.ingress.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress;
import io.netplane.api.events.RouteView;
import io.netplane.api.events.RouteView.BackendView;
import io.netplane.api.events.RouteView.PathView;
import io.netplane.api.events.RouteView.RuleView;
import io.netplane.ingress.compile.Problem;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusAndConflictTest {

    static String show(List<IngressLoadBalancerIngress> addresses) {
        return String.join(",", addresses.stream().map(a -> a.getIp() != null ? "ip:" + a.getIp() : "host:" + a.getHostname()).toList());
    }

    @Test
    void configuredAddressesWinOverThePublishService() {
        var service = new ServiceBuilder().withNewStatus().withNewLoadBalancer().addNewIngress().withIp("198.51.100.7")
                .endIngress().addNewIngress().withHostname("lb.example.net").endIngress().endLoadBalancer().endStatus().build();
        assertThat(show(IngressStatusWriter.addresses(List.of("192.0.2.1", "2001:db8::1", "ingress.example.com"), service)))
                .isEqualTo("ip:192.0.2.1,ip:2001:db8::1,host:ingress.example.com");
        assertThat(show(IngressStatusWriter.addresses(List.of(), service))).isEqualTo("ip:198.51.100.7,host:lb.example.net");
        assertThat(IngressStatusWriter.addresses(List.of(), null)).isEmpty();
        assertThat(IngressStatusWriter.addresses(List.of(), new ServiceBuilder().build())).isEmpty();
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
