package io.netplane.endpoints.slicing;

import static io.netplane.endpoints.slicing.Fixtures.NODES;
import static io.netplane.endpoints.slicing.Fixtures.describe;
import static io.netplane.endpoints.slicing.Fixtures.plan;
import static io.netplane.endpoints.slicing.Fixtures.pod;
import static io.netplane.endpoints.slicing.Fixtures.reasons;
import static io.netplane.endpoints.slicing.Fixtures.service;
import static io.netplane.endpoints.slicing.Fixtures.slice;
import static io.netplane.endpoints.slicing.Fixtures.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.api.events.EndpointSliceView.EndpointPortView;
import io.netplane.api.events.EndpointSliceView.EndpointView;
import io.netplane.api.events.ObjectRef;
import io.netplane.api.events.PodView;
import io.netplane.api.events.ServiceView.ServicePortView;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What goes into the slices: address families, resolved ports, conditions, hostname, placement, labels, Events. */
class SlicePlannerEndpointsTest {

    static Stream<Arguments> families() {
        PodView dual = with(pod(0), p -> p.ips("10.0.0.1", "fd00::1"));
        return Stream.of(
                Arguments.of("IPv4 Service", service(), dual, List.of("IPv4=10.0.0.1")),
                Arguments.of("dual-stack Service: one slice per family",
                        service(s -> s.families = List.of("IPv4", "IPv6")), dual,
                        List.of("IPv4=10.0.0.1", "IPv6=fd00::1")),
                Arguments.of("IPv6-primary dual-stack", service(s -> s.families = List.of("IPv6", "IPv4")), dual,
                        List.of("IPv4=10.0.0.1", "IPv6=fd00::1")),
                Arguments.of("no ipFamilies: family of the ClusterIP",
                        service(s -> { s.families = List.of(); s.clusterIP = "fd00::10"; }), dual,
                        List.of("IPv6=fd00::1")),
                Arguments.of("headless without ipFamilies: both families",
                        service(s -> { s.families = List.of(); s.clusterIP = "None"; }), dual,
                        List.of("IPv4=10.0.0.1", "IPv6=fd00::1")),
                Arguments.of("IPv6 Service, IPv4-only Pod: placeholder only", service(s -> s.families = List.of("IPv6")),
                        pod(0), List.of("IPv6=")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void oneSlicePerAddressFamily(String name, SliceService svc, PodView pod, List<String> expected) {
        SlicePlan plan = plan(svc, List.of(pod), List.of());
        assertThat(plan.creates().stream().map(s -> s.addressType() + "="
                + String.join(",", s.endpoints().stream().flatMap(e -> e.addresses().stream()).toList()))
                .sorted().toList()).isEqualTo(expected);
    }

    @Test
    void podsThatGiveANamedPortDifferentNumbersLandInDifferentSlices() {
        List<PodView> pods = List.of(pod(0), pod(1), with(pod(2), p -> p.port("http", 9090)));
        SlicePlan plan = plan(service(), pods, List.of());
        assertThat(plan.creates()).extracting(s -> s.ports().get(0).port() + ":" + s.endpoints().size())
                .containsExactlyInAnyOrder("8080:2", "9090:1");
    }

    @Test
    void aNamedPortThatMatchesNothingIsLeftOutAndReported() {
        SliceService svc = service(s -> s.ports = List.of(
                new ServicePortView("http", "TCP", 80, "http", null, null),
                new ServicePortView("metrics", "TCP", 9100, "metrics", null, null)));
        SlicePlan plan = plan(svc, List.of(pod(0)), List.of());
        assertThat(plan.creates()).singleElement().satisfies(s -> {
            assertThat(s.ports()).containsExactly(new EndpointPortView("http", "TCP", 8080, null));
            assertThat(s.endpoints()).hasSize(1);
        });
        assertThat(plan.events()).singleElement().satisfies(e -> {
            assertThat(e.problem().reason()).isEqualTo("PortNotFound");
            assertThat(e.problem().message()).contains("web-0", "metrics");
            assertThat(e.kind()).isEqualTo("Service");
        });
    }

    @Test
    void numericTargetPortAndProtocolAndAppProtocolAreKept() {
        SliceService svc = service(s -> s.ports = List.of(new ServicePortView("dns", "UDP", 53, "5353", null, "dns")));
        SlicePlan plan = plan(svc, List.of(pod(0)), List.of());
        assertThat(plan.creates().get(0).ports()).containsExactly(new EndpointPortView("dns", "UDP", 5353, "dns"));
    }

    @Test
    void headlessServiceWithoutPortsGetsSlicesWithoutPorts() {
        SliceService svc = service(s -> { s.clusterIP = "None"; s.ports = List.of(); });
        SlicePlan plan = plan(svc, List.of(pod(0)), List.of());
        assertThat(plan.creates()).singleElement().satisfies(s -> {
            assertThat(s.ports()).isEmpty();
            assertThat(s.endpoints()).hasSize(1);
            assertThat(s.labels()).containsEntry(SliceLabels.HEADLESS, "");
        });
    }

    /** Upstream podToEndpoint: serving = Pod Ready; terminating = deletionTimestamp; ready = serving and not terminating, or publishNotReadyAddresses. */
    static Stream<Arguments> conditions() {
        return Stream.of(
                Arguments.of("ready Pod", false, pod(0), "ready serving"),
                Arguments.of("not-ready Pod", false, with(pod(0), p -> p.ready(false)), "-"),
                Arguments.of("ready Pod being deleted", false, with(pod(0), PodBuilderSteps::terminating),
                        "serving terminating"),
                Arguments.of("not-ready Pod being deleted", false,
                        with(pod(0), p -> p.ready(false).terminating()), "terminating"),
                Arguments.of("not-ready Pod, publishNotReadyAddresses", true, with(pod(0), p -> p.ready(false)),
                        "ready"),
                Arguments.of("terminating Pod, publishNotReadyAddresses", true,
                        with(pod(0), PodBuilderSteps::terminating), "ready serving terminating"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conditions")
    void conditionsFollowReadinessAndDeletion(String name, boolean publishNotReady, PodView pod, String expected) {
        SlicePlan plan = plan(service(s -> s.publishNotReady = publishNotReady), List.of(pod), List.of());
        EndpointView e = plan.creates().get(0).endpoints().get(0);
        String got = String.join(" ", Stream.of(e.ready() ? "ready" : null, e.serving() ? "serving" : null,
                e.terminating() ? "terminating" : null).filter(s -> s != null).toList());
        assertThat(got.isEmpty() ? "-" : got).isEqualTo(expected);
    }

    static Stream<Arguments> hostnames() {
        return Stream.of(
                Arguments.of("hostname and subdomain naming the Service", "db-0", "web", "db-0"),
                Arguments.of("subdomain names another Service", "db-0", "other", null),
                Arguments.of("subdomain without hostname", null, "web", null),
                Arguments.of("no hostname, no subdomain", null, null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostnames")
    void hostnameOnlyWhenTheSubdomainNamesTheService(String name, String hostname, String subdomain, String expected) {
        PodView p = with(pod(0), b -> b.hostname(hostname, subdomain));
        assertThat(plan(service(), List.of(p), List.of()).creates().get(0).endpoints().get(0).hostname())
                .isEqualTo(expected);
    }

    @Test
    void endpointCarriesNodeZoneAndTargetRef() {
        EndpointView e = plan(service(), List.of(pod(1)), List.of()).creates().get(0).endpoints().get(0);
        assertThat(e.nodeName()).isEqualTo("node-b");
        assertThat(e.zone()).isEqualTo("zone-b");
        assertThat(e.targetRef()).isEqualTo(new ObjectRef("Pod", "shop", "web-1", "pod-uid-1"));
        assertThat(e.addresses()).containsExactly("10.0.0.2");
    }

    static Stream<Arguments> labels() {
        return Stream.of(
                Arguments.of("ClusterIP Service", service(s -> s.labels = Map.of("team", "shop")),
                        Map.of("team", "shop", SliceLabels.SERVICE_NAME, "web", SliceLabels.MANAGED_BY,
                                Fixtures.MANAGED_BY)),
                Arguments.of("reserved keys on the Service are not copied",
                        service(s -> s.labels = Map.of(SliceLabels.MANAGED_BY, "someone", SliceLabels.SERVICE_NAME,
                                "x", SliceLabels.HEADLESS, "", "a", "b")),
                        Map.of("a", "b", SliceLabels.SERVICE_NAME, "web", SliceLabels.MANAGED_BY,
                                Fixtures.MANAGED_BY)),
                Arguments.of("headless Service", service(s -> s.clusterIP = "None"),
                        Map.of(SliceLabels.HEADLESS, "", SliceLabels.SERVICE_NAME, "web", SliceLabels.MANAGED_BY,
                                Fixtures.MANAGED_BY)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("labels")
    void sliceLabelsMirrorTheService(String name, SliceService svc, Map<String, String> expected) {
        Slice s = plan(svc, List.of(pod(0)), List.of()).creates().get(0);
        assertThat(s.labels()).isEqualTo(expected);
        assertThat(s.ownerServiceUids()).containsExactly("svc-uid");
        assertThat(s.name()).isNull();
    }

    @Test
    void aServiceLabelChangeUpdatesTheSliceLabelsOnly() {
        SliceService before = service();
        SliceService after = service(s -> s.labels = Map.of("tier", "front"));
        Slice existing = slice("web-a", before, "IPv4", Fixtures.HTTP_8080, List.of(pod(0)));
        SlicePlan plan = plan(after, List.of(pod(0)), List.of(existing));
        assertThat(describe(plan)).isEqualTo("~web-a:1");
        assertThat(plan.updates().get(0).labels()).containsEntry("tier", "front");
    }

    static Stream<Arguments> badInput() {
        return Stream.of(
                Arguments.of("Running Pod without an IP", false, with(pod(2), p -> p.ips()), "+IPv4:1",
                        List.of("PodWithoutIP"), false),
                Arguments.of("Pending Pod without an IP is normal: no Event", false,
                        with(pod(2), p -> p.ips().phase("Pending")), "+IPv4:1", List.of(), false),
                Arguments.of("Pod on an unknown Node: left out, retried", false, with(pod(2), p -> p.node("ghost")),
                        "+IPv4:1", List.of("NodeNotFound"), true),
                Arguments.of("Pod on an unknown Node with publishNotReadyAddresses: kept, no zone", true,
                        with(pod(2), p -> p.node("ghost")), "+IPv4:2", List.of(), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void badInputLeavesOneEndpointOutAndSaysWhy(String name, boolean publishNotReady, PodView bad, String expected,
            List<String> reasons, boolean retry) {
        SlicePlan plan = plan(service(s -> s.publishNotReady = publishNotReady), List.of(pod(0), bad), List.of());
        assertThat(describe(plan)).isEqualTo(expected);
        assertThat(reasons(plan)).isEqualTo(reasons);
        assertThat(plan.retry()).isEqualTo(retry);
        assertThat(plan.waitingForNode()).isEqualTo(retry ? java.util.Set.of(bad.name()) : java.util.Set.of());
        plan.events().forEach(e -> assertThat(e.problem().message()).contains(bad.name()));
    }

    @Test
    void aServiceWithoutSelectorGetsNoPlan() {
        assertThat(SlicePlanner.plan(service(s -> s.selector = null), List.of(pod(0)), NODES, ZoneCapacity.NONE,
                List.of(), Fixtures.MAX_100).isEmpty()).isTrue();
    }

    /** Named steps for method references in the tables. */
    static final class PodBuilderSteps {
        static Fixtures.PodBuilder terminating(Fixtures.PodBuilder b) {
            return b.terminating();
        }
    }
}
