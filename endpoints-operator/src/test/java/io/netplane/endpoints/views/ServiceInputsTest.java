package io.netplane.endpoints.views;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.netplane.api.events.ServiceView;
import io.netplane.api.events.ServiceView.ServicePortView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ServiceInputsTest {
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    /** A plain ClusterIP Service; each row changes what it is about. */
    private static ServiceBuilder base() {
        return new ServiceBuilder()
                .withNewMetadata().withNamespace("shop").withName("web").withUid("u-1").withResourceVersion("42")
                .endMetadata()
                .withNewSpec().withType("ClusterIP").withClusterIP("10.96.0.10").withClusterIPs("10.96.0.10")
                .withIpFamilies("IPv4").withIpFamilyPolicy("SingleStack").withSelector(Map.of("app", "web"))
                .addNewPort().withName("http").withProtocol("TCP").withPort(80).withTargetPort(new IntOrString(8080))
                .endPort()
                .endSpec();
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                row("key is namespace/name", b -> b, ServiceView::key, "shop/web"),
                row("numeric targetPort is kept as text", b -> b, ServiceView::ports,
                        List.of(new ServicePortView("http", "TCP", 80, "8080", null, null))),
                row("named targetPort is kept for per-Pod resolution",
                        b -> b.editSpec().editFirstPort().withTargetPort(new IntOrString("web")).endPort().endSpec(),
                        v -> v.ports().get(0).targetPort(), "web"),
                row("unset targetPort defaults to port",
                        b -> b.editSpec().editFirstPort().withTargetPort(null).endPort().endSpec(),
                        v -> v.ports().get(0).targetPort(), "80"),
                row("unset protocol defaults to TCP",
                        b -> b.editSpec().editFirstPort().withProtocol(null).endPort().endSpec(),
                        v -> v.ports().get(0).protocol(), "TCP"),
                row("headless: clusterIP None gives no clusterIPs",
                        b -> b.editSpec().withClusterIP("None").withClusterIPs("None").endSpec(),
                        v -> List.of(v.headless(), v.clusterIPs()), List.of(true, List.of())),
                row("pre-dual-stack object: clusterIPs falls back to clusterIP",
                        b -> b.editSpec().withClusterIPs((List<String>) null).endSpec(),
                        ServiceView::clusterIPs, List.of("10.96.0.10")),
                row("dual-stack: primary first, IPv6 in canonical form",
                        b -> b.editSpec().withClusterIPs("10.96.0.10", "FD00:0:0:0:0:0:0:A").withIpFamilies("IPv4", "IPv6")
                                .withIpFamilyPolicy("RequireDualStack").endSpec(),
                        v -> List.of(v.clusterIPs(), v.ipFamilies(), v.ipFamilyPolicy()),
                        List.of(List.of("10.96.0.10", "fd00::a"), List.of("IPv4", "IPv6"), "RequireDualStack")),
                row("empty selector means no selector",
                        b -> b.editSpec().withSelector(Map.of()).endSpec(), ServiceView::selector, null),
                row("ExternalName", b -> b.editSpec().withType("ExternalName").withExternalName("db.example.com")
                                .withClusterIP(null).withClusterIPs((List<String>) null).endSpec(),
                        v -> List.of(v.type(), v.externalName(), v.clusterIPs()),
                        List.of("ExternalName", "db.example.com", List.of())),
                row("unset type defaults to ClusterIP", b -> b.editSpec().withType(null).endSpec(), ServiceView::type,
                        "ClusterIP"),
                row("LoadBalancer ingress IPs, hostname-only ingress left out",
                        b -> b.editSpec().withType("LoadBalancer").endSpec().withNewStatus().withNewLoadBalancer()
                                .addNewIngress().withIp("203.0.113.7").endIngress()
                                .addNewIngress().withHostname("lb.example.com").endIngress()
                                .endLoadBalancer().endStatus(),
                        ServiceView::loadBalancerIngressIPs, List.of("203.0.113.7")),
                row("session affinity ClientIP with its timeout",
                        b -> b.editSpec().withSessionAffinity("ClientIP").withNewSessionAffinityConfig()
                                .withNewClientIP().withTimeoutSeconds(600).endClientIP().endSessionAffinityConfig()
                                .endSpec(),
                        v -> List.of(v.sessionAffinity(), v.sessionAffinityTimeoutSeconds()), List.of("ClientIP", 600)),
                row("unset session affinity is None", b -> b, ServiceView::sessionAffinity, "None"),
                row("publishNotReadyAddresses and trafficDistribution",
                        b -> b.editSpec().withPublishNotReadyAddresses(true).withTrafficDistribution("PreferClose")
                                .endSpec(),
                        v -> List.of(v.publishNotReadyAddresses(), v.trafficDistribution()), List.of(true, "PreferClose")),
                row("service-proxy-name label",
                        b -> b.editMetadata().withLabels(Map.of("service.kubernetes.io/service-proxy-name", "other"))
                                .endMetadata(),
                        ServiceView::serviceProxyName, "other"),
                row("NodePort and traffic policies",
                        b -> b.editSpec().withType("NodePort").editFirstPort().withNodePort(30080).endPort()
                                .withExternalTrafficPolicy("Local").withInternalTrafficPolicy("Cluster")
                                .withHealthCheckNodePort(31000).endSpec(),
                        v -> List.of(v.ports().get(0).nodePort(), v.externalTrafficPolicy(), v.internalTrafficPolicy(),
                                v.healthCheckNodePort()),
                        List.of(30080, "Local", "Cluster", 31000)),
                row("externalIPs canonical, invalid ones dropped",
                        b -> b.editSpec().withExternalIPs("2001:DB8::1", "not-an-ip").endSpec(),
                        ServiceView::externalIPs, List.of("2001:db8::1")));
    }

    private static Arguments row(String name, UnaryOperator<ServiceBuilder> edit, Function<ServiceView, Object> field,
            Object expected) {
        return Arguments.of(name, edit.apply(base()).build(), field, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void mapsServiceToView(String name, Service service, Function<ServiceView, Object> field, Object expected) {
        ServiceView view = ServiceInputs.from(service, AT);
        assertThat(field.apply(view)).isEqualTo(expected);
    }

    @Test
    void carriesIdentityAndObservation() {
        ServiceView view = ServiceInputs.from(base().build(), AT);
        assertThat(List.of(view.namespace(), view.name(), view.uid(), view.resourceVersion(), view.observedAt()))
                .containsExactly("shop", "web", "u-1", "42", AT);
    }
}
