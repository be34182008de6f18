package io.netplane.endpoints.views;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.netplane.api.events.EndpointSliceView;
import io.netplane.api.events.NodeView;
import io.netplane.api.events.PodView;
import io.netplane.api.events.PodView.ContainerPortView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Pods, Nodes and EndpointSlices cut down to their contract views. */
class PodAndNodeInputsTest {
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    private static PodBuilder pod() {
        return new PodBuilder().withNewMetadata().withNamespace("shop").withName("web-0").withUid("u")
                .withResourceVersion("7").withLabels(Map.of("app", "web")).endMetadata()
                .withNewSpec().withNodeName("node-a").addNewContainer().withName("c")
                .addNewPort().withName("http").withContainerPort(8080).endPort().endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP("10.0.0.1").addNewPodIP("10.0.0.1")
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus();
    }

    static Stream<Arguments> pods() {
        return Stream.of(
                row("Ready condition True → ready", b -> b, PodView::ready, true),
                row("Ready condition False → not ready", b -> b.editStatus().editFirstCondition().withStatus("False")
                        .endCondition().endStatus(), PodView::ready, false),
                row("no conditions → not ready", b -> b.editStatus().withConditions(List.of()).endStatus(),
                        PodView::ready, false),
                row("deletionTimestamp → terminating", b -> b.editMetadata()
                        .withDeletionTimestamp("2026-01-01T00:00:00Z").endMetadata(), PodView::terminating, true),
                row("dual-stack IPs, IPv6 canonical", b -> b.editStatus().addNewPodIP("FD00:0:0::1").endStatus(),
                        PodView::podIPs, List.of("10.0.0.1", "fd00::1")),
                row("only status.podIP (pre-dual-stack)", b -> b.editStatus().withPodIPs(List.of()).endStatus(),
                        PodView::podIPs, List.of("10.0.0.1")),
                row("an invalid IP is left out", b -> b.editStatus().withPodIPs(List.of()).withPodIP("10.0.0.999")
                        .endStatus(), PodView::podIPs, List.of()),
                row("container port protocol defaults to TCP", b -> b, PodView::containerPorts,
                        List.of(new ContainerPortView("http", 8080, "TCP"))),
                row("sidecar (restartable init container) ports count, plain init containers do not",
                        b -> b.editSpec().addToInitContainers(new ContainerBuilder().withName("side")
                                .withRestartPolicy("Always").addNewPort().withName("metrics").withContainerPort(9100)
                                .withProtocol("TCP").endPort().build(),
                                new ContainerBuilder().withName("init").addNewPort().withName("x").withContainerPort(1)
                                        .endPort().build()).endSpec(),
                        v -> v.containerPorts().stream().map(ContainerPortView::name).toList(),
                        List.of("http", "metrics")),
                row("hostname and subdomain", b -> b.editSpec().withHostname("db-0").withSubdomain("db").endSpec(),
                        v -> v.hostname() + "." + v.subdomain(), "db-0.db"));
    }

    private static Arguments row(String name, UnaryOperator<PodBuilder> edit, Function<PodView, Object> field,
            Object expected) {
        return Arguments.of(name, edit.apply(pod()).build(), field, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pods")
    void podViews(String name, Pod pod, Function<PodView, Object> field, Object expected) {
        PodView view = PodInputs.from(pod, AT);
        assertThat(field.apply(view)).isEqualTo(expected);
        assertThat(view.key()).isEqualTo("shop/web-0");
        // the informer caches trimmed Pods: every view made from one is the view of the whole Pod
        Pod trimmed = PodInputs.trim(withNoise(pod));
        assertThat(PodInputs.from(trimmed, AT)).isEqualTo(view);
        assertThat(PodInputs.slicePod(trimmed)).isEqualTo(PodInputs.slicePod(pod));
        assertThat(PodInputs.invalidIPs(trimmed)).isEqualTo(PodInputs.invalidIPs(pod));
    }

    /** What a real Pod carries beyond what the views read. */
    private static Pod withNoise(Pod pod) {
        return new PodBuilder(pod).editMetadata().addNewManagedField().withManager("kubelet").endManagedField()
                .addToAnnotations("big", "x".repeat(1000)).endMetadata()
                .editSpec().editFirstContainer().withImage("registry.example/app:1").addNewEnv().withName("A")
                .withValue("b").endEnv().endContainer().addNewVolume().withName("data").endVolume().endSpec()
                .editStatus().addNewCondition().withType("PodScheduled").withStatus("True").endCondition()
                .addNewContainerStatus().withName("c").withImage("registry.example/app:1").endContainerStatus()
                .endStatus().build();
    }

    @org.junit.jupiter.api.Test
    void theCachedPodKeepsOnlyWhatTheViewsRead() {
        Pod trimmed = PodInputs.trim(withNoise(pod().editStatus().editFirstCondition()
                .withLastTransitionTime("2026-01-01T00:00:05Z").endCondition().endStatus().build()));
        assertThat(trimmed.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(trimmed.getMetadata().getAnnotations()).isNullOrEmpty();
        assertThat(trimmed.getSpec().getContainers()).singleElement().satisfies(c -> {
            assertThat(c.getImage()).isNull();
            assertThat(c.getEnv()).isNullOrEmpty();
            assertThat(c.getPorts()).hasSize(1);
        });
        assertThat(trimmed.getSpec().getVolumes()).isNullOrEmpty();
        assertThat(trimmed.getStatus().getContainerStatuses()).isNullOrEmpty();
        assertThat(trimmed.getStatus().getConditions()).extracting(c -> c.getType()).containsExactly("Ready");
        assertThat(PodInputs.slicePod(trimmed).readySince()).isEqualTo(Instant.parse("2026-01-01T00:00:05Z"));
    }

    static Stream<Arguments> invalidIPs() {
        return Stream.of(
                Arguments.of("valid IPs: nothing to report", List.of("10.0.0.1", "fd00::1"), null),
                Arguments.of("one invalid IP: reported, the valid one kept", List.of("10.0.0.1", "10.0.0.999"),
                        "Pod IP 10.0.0.999 is not a valid IP address; it is left out of every EndpointSlice"),
                Arguments.of("no IP yet: nothing to report", List.of(), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidIPs")
    void invalidPodIPsAreTheBadInputOfAPod(String name, List<String> ips, String message) {
        Pod pod = pod().editStatus().withPodIP(null).withPodIPs(ips.stream()
                .map(ip -> new io.fabric8.kubernetes.api.model.PodIP(ip)).toList()).endStatus().build();
        assertThat(PodInputs.invalidIPs(pod).map(p -> p.reason() + ": " + p.message()))
                .isEqualTo(java.util.Optional.ofNullable(message).map(m -> "InvalidPodIP: " + m));
    }

    static Stream<Arguments> nodes() {
        return Stream.of(
                Arguments.of("zone label, CPU in cores", "zone-a", "4", true, "zone-a", 4000L),
                Arguments.of("CPU in millicores", "zone-a", "1500m", true, "zone-a", 1500L),
                Arguments.of("fractional cores round up to whole millicores", "zone-a", "0.0015", true, "zone-a", 2L),
                Arguments.of("no zone label", null, "2", false, null, 2000L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nodes")
    void nodeViews(String name, String zone, String cpu, boolean ready, String expectedZone, long expectedMillis) {
        var b = new NodeBuilder().withNewMetadata().withName("n1").endMetadata()
                .withNewSpec().withPodCIDRs("10.244.1.0/24").endSpec()
                .withNewStatus().withAllocatable(Map.of("cpu", new Quantity(cpu)))
                .addNewAddress().withType("InternalIP").withAddress("192.168.0.10").endAddress()
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition().endStatus();
        if (zone != null) {
            b.editMetadata().addToLabels("topology.kubernetes.io/zone", zone).endMetadata();
        }
        NodeView v = NodeInputs.from(b.build(), AT);
        assertThat(v.zone()).isEqualTo(expectedZone);
        assertThat(v.allocatableCpuMillis()).isEqualTo(expectedMillis);
        assertThat(v.ready()).isEqualTo(ready);
        assertThat(v.podCIDRs()).containsExactly("10.244.1.0/24");
        assertThat(v.addresses()).singleElement().satisfies(a -> assertThat(a.address()).isEqualTo("192.168.0.10"));
        assertThat(v.key()).isEqualTo("n1");
    }

    static Stream<Arguments> conditions() {
        return Stream.of(
                Arguments.of("all unset: ready, serving, not terminating", null, null, null, "true/true/false"),
                Arguments.of("serving unset follows ready", false, null, null, "false/false/false"),
                Arguments.of("terminating but serving", false, true, true, "false/true/true"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conditions")
    void sliceConditionsResolvedAsTheApiDocuments(String name, Boolean ready, Boolean serving, Boolean terminating,
            String expected) {
        var slice = new EndpointSliceBuilder().withNewMetadata().withNamespace("shop").withName("web-x")
                .withLabels(Map.of("kubernetes.io/service-name", "web")).endMetadata().withAddressType("IPv6")
                .addNewEndpoint().withAddresses("FD00::0:1").withNewConditions().withReady(ready).withServing(serving)
                .withTerminating(terminating).endConditions().endEndpoint().build();
        EndpointSliceView v = EndpointSliceInputs.from(slice, AT);
        var e = v.endpoints().get(0);
        assertThat(e.ready() + "/" + e.serving() + "/" + e.terminating()).isEqualTo(expected);
        assertThat(e.addresses()).containsExactly("fd00::1");
        assertThat(v.serviceName()).isEqualTo("web");
    }
}
