package io.netplane.endpoints.slicing;

import static io.netplane.endpoints.slicing.Fixtures.HTTP_8080;
import static io.netplane.endpoints.slicing.Fixtures.NODES;
import static io.netplane.endpoints.slicing.Fixtures.concat;
import static io.netplane.endpoints.slicing.Fixtures.describe;
import static io.netplane.endpoints.slicing.Fixtures.placeholder;
import static io.netplane.endpoints.slicing.Fixtures.plan;
import static io.netplane.endpoints.slicing.Fixtures.pod;
import static io.netplane.endpoints.slicing.Fixtures.pods;
import static io.netplane.endpoints.slicing.Fixtures.reasons;
import static io.netplane.endpoints.slicing.Fixtures.service;
import static io.netplane.endpoints.slicing.Fixtures.slice;
import static io.netplane.endpoints.slicing.Fixtures.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.api.events.EndpointSliceView.EndpointPortView;
import io.netplane.api.events.PodView;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Packing, as the upstream reconciler packs (max 100 endpoints per slice). Expected plans read:
 * {@code +IPv4:3} create a slice with 3 endpoints, {@code ~a:2} update slice a to 2 endpoints, {@code -b} delete b.
 */
class SlicePlannerPackingTest {

    static Stream<Arguments> rows() {
        SliceService svc = service();
        return Stream.of(
                Arguments.of("first sync: 3 Pods, one new slice", svc, pods(0, 3), List.of(), "+IPv4:3"),
                Arguments.of("250 Pods: slices of 100, 100 and 50", svc, pods(0, 250), List.of(),
                        "+IPv4:100 +IPv4:100 +IPv4:50"),
                Arguments.of("selector matches no Pod: one empty placeholder", svc, List.of(), List.of(), "+IPv4:0"),
                Arguments.of("placeholder already there and still no Pods: no write", svc, List.of(),
                        List.of(placeholder("web-p", svc, "IPv4")), "nothing"),
                Arguments.of("Pods appear: the placeholder is reused by an update, not deleted and recreated", svc,
                        pods(0, 2), List.of(placeholder("web-p", svc, "IPv4")), "~web-p:2"),
                Arguments.of("last Pod gone: its slice becomes the placeholder in place", svc, List.of(),
                        List.of(slice("web-a", pods(0, 1))), "~web-a:0"),
                Arguments.of("nothing changed: no write", svc, pods(0, 3), List.of(slice("web-a", pods(0, 3))),
                        "nothing"),
                Arguments.of("one Pod gone: its slice is updated in place", svc, pods(0, 2),
                        List.of(slice("web-a", pods(0, 3))), "~web-a:2"),
                Arguments.of("every Pod of one slice gone: that slice is deleted, the other untouched", svc,
                        pods(0, 100), List.of(slice("web-a", pods(0, 100)), slice("web-b", pods(100, 130))), "-web-b"),
                Arguments.of("new Pods first fill a slice being updated, the rest go where they fit best", svc,
                        concat(pods(0, 60), pods(61, 143).toArray(PodView[]::new)),
                        List.of(slice("web-a", pods(0, 61)), slice("web-b", pods(100, 140))), "~web-a:100 ~web-b:42"),
                Arguments.of("new Pods go to the unchanged slice that ends up closest to full", svc, pods(0, 150),
                        List.of(slice("web-a", pods(0, 95)), slice("web-b", pods(95, 145))), "~web-a:100"),
                Arguments.of("new Pods first fill a slice that is being updated anyway", svc,
                        concat(concat(pods(0, 60), pods(100, 140).toArray(PodView[]::new)),
                                pods(200, 203).toArray(PodView[]::new)),
                        List.of(slice("web-a", pods(0, 61)), slice("web-b", pods(100, 140))), "~web-a:63"),
                Arguments.of("no unchanged slice has room: a new slice", svc, pods(0, 105),
                        List.of(slice("web-a", pods(0, 99))), "+IPv4:6"),
                Arguments.of("a changed endpoint (Pod turned not ready) is an update of its slice only", svc,
                        concat(pods(0, 2), with(pod(2), p -> p.ready(false))),
                        List.of(slice("web-a", pods(0, 3))), "~web-a:3"),
                Arguments.of("Succeeded and Failed Pods are not endpoints", svc,
                        List.of(pod(0), with(pod(1), p -> p.phase("Succeeded")), with(pod(2), p -> p.phase("Failed"))),
                        List.of(), "+IPv4:1"),
                Arguments.of("Pods in another namespace or not matching the selector are ignored", svc,
                        List.of(pod(0), with(pod(1), p -> p.labels(java.util.Map.of("app", "db")))), List.of(),
                        "+IPv4:1"),
                Arguments.of("a slice of another Service UID (same name, recreated Service) is replaced", svc,
                        pods(0, 2), List.of(new Slice("web-old", "IPv4", HTTP_8080, List.of(),
                                SliceLabels.desired(svc, Fixtures.MANAGED_BY), List.of("old-uid"))),
                        "+IPv4:2 -web-old"),
                Arguments.of("a slice with the deprecated address type IP is replaced", svc, pods(0, 2),
                        List.of(new Slice("web-ip", "IP", HTTP_8080, List.of(), SliceLabels.desired(svc,
                                Fixtures.MANAGED_BY), List.of(svc.uid()))),
                        "+IPv4:2 -web-ip"),
                Arguments.of("a port set no Pod has any more: its slice is reused for the new set", svc,
                        pods(0, 2).stream().map(p -> with(p, b -> b.port("http", 9090))).toList(),
                        List.of(slice("web-a", pods(0, 2))), "~web-a:2"),
                Arguments.of("Service being deleted: no new slices", service(s -> s.deleting = true), pods(0, 3),
                        List.of(), "nothing"));
    }

    static Stream<Arguments> externalNameRows() {
        SliceService external = service(s -> {
            s.externalName = true;
            s.clusterIP = "";
        });
        return Stream.of(
                Arguments.of("an ExternalName Service with a selector gets no slices, not even a placeholder",
                        external, pods(0, 3), List.of(), "nothing"),
                Arguments.of("a Service that turned ExternalName loses the slices it had", external, pods(0, 3),
                        List.of(slice("web-a", pods(0, 3))), "-web-a"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("externalNameRows")
    void externalNameServicesGetNoEndpoints(String name, SliceService svc, List<PodView> pods, List<Slice> existing,
            String expected) {
        assertThat(describe(plan(svc, pods, existing))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void plansLikeUpstream(String name, SliceService svc, List<PodView> pods, List<Slice> existing, String expected) {
        assertThat(describe(plan(svc, pods, existing))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "max {0} per slice, {1} Pods → {2}")
    @MethodSource("limits")
    void honoursTheConfiguredLimit(int max, int pods, String expected) {
        SlicePlan plan = SlicePlanner.plan(service(), pods(0, pods), NODES, ZoneCapacity.NONE, List.of(),
                new SlicePlanner.Settings(max, Fixtures.MANAGED_BY));
        assertThat(describe(plan)).isEqualTo(expected);
    }

    static Stream<Arguments> limits() {
        return Stream.of(
                Arguments.of(1, 3, "+IPv4:1 +IPv4:1 +IPv4:1"),
                Arguments.of(2, 5, "+IPv4:1 +IPv4:2 +IPv4:2"),
                Arguments.of(1000, 1500, "+IPv4:1000 +IPv4:500"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reused")
    void anUpdateReplacesTheDeletedSliceByName(String name, List<EndpointPortView> oldPorts, String expected) {
        SliceService svc = service();
        Slice old = slice("web-a", svc, "IPv4", oldPorts, pods(0, 2));
        SlicePlan plan = plan(svc, pods(0, 2), List.of(old));
        assertThat(describe(plan)).isEqualTo(expected);
        assertThat(reasons(plan)).isEmpty();
    }

    static Stream<Arguments> reused() {
        return Stream.of(
                Arguments.of("same ports: unchanged", HTTP_8080, "nothing"),
                Arguments.of("ports changed: same slice updated", List.of(new EndpointPortView("http", "TCP", 80, null)),
                        "~web-a:2"));
    }
}
