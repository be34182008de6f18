package io.netplane.endpoints.legacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.api.events.PodView;
import io.netplane.api.events.PodView.ContainerPortView;
import io.netplane.api.events.ServiceView.ServicePortView;
import io.netplane.endpoints.legacy.LegacyEndpoints.Subset;
import io.netplane.endpoints.slicing.SliceService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The legacy Endpoints object, as the upstream endpoints controller writes it. Expected subsets read
 * {@code [ready IPs | not-ready IPs | ports]}.
 */
class EndpointsPlannerTest {
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    private static SliceService service(boolean publishNotReady, List<String> families, String clusterIP) {
        return new SliceService("shop", "web", "u", clusterIP, families, Map.of("app", "web"),
                List.of(new ServicePortView("http", "TCP", 80, "http", null, null)), publishNotReady,
                Map.of("team", "shop"), false, null, false);
    }

    private static SliceService service() {
        return service(false, List.of("IPv4"), "10.96.0.1");
    }

    private static PodView pod(String name, int port, boolean ready, boolean terminating, String... ips) {
        return new PodView("shop", name, "u-" + name, "1", AT, "node-a", "Running", List.of(ips), false, null, null,
                ready, terminating, Map.of("app", "web"), List.of(new ContainerPortView("http", port, "TCP")));
    }

    private static List<String> describe(LegacyEndpoints e) {
        return e.subsets().stream().map(s -> "[" + String.join(",", s.addresses().stream().map(a -> a.ip()).toList())
                + " | " + String.join(",", s.notReadyAddresses().stream().map(a -> a.ip()).toList()) + " | "
                + String.join(",", s.ports().stream().map(p -> p.name() + ":" + p.port()).toList()) + "]").toList();
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("ready and not-ready Pods share a subset", service(),
                        List.of(pod("a", 8080, true, false, "10.0.0.2"), pod("b", 8080, false, false, "10.0.0.1")),
                        List.of("[10.0.0.2 | 10.0.0.1 | http:8080]")),
                Arguments.of("different resolved ports: different subsets", service(),
                        List.of(pod("a", 8080, true, false, "10.0.0.1"), pod("b", 9090, true, false, "10.0.0.2")),
                        List.of("[10.0.0.1 |  | http:8080]", "[10.0.0.2 |  | http:9090]")),
                Arguments.of("terminating Pods are left out", service(),
                        List.of(pod("a", 8080, true, true, "10.0.0.1"), pod("b", 8080, true, false, "10.0.0.2")),
                        List.of("[10.0.0.2 |  | http:8080]")),
                Arguments.of("publishNotReadyAddresses: every Pod ready, terminating ones kept",
                        service(true, List.of("IPv4"), "10.96.0.1"),
                        List.of(pod("a", 8080, false, true, "10.0.0.1"), pod("b", 8080, false, false, "10.0.0.2")),
                        List.of("[10.0.0.1,10.0.0.2 |  | http:8080]")),
                Arguments.of("dual-stack Pod in an IPv6-primary Service: the IPv6 address",
                        service(false, List.of("IPv6", "IPv4"), "fd00::1"),
                        List.of(pod("a", 8080, true, false, "10.0.0.1", "fd00::5")),
                        List.of("[fd00::5 |  | http:8080]")),
                Arguments.of("no Pods: no subsets", service(), List.of(), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void buildsSubsetsLikeUpstream(String name, SliceService svc, List<PodView> pods, List<String> expected) {
        LegacyEndpoints e = EndpointsPlanner.desired(svc, pods);
        assertThat(describe(e)).isEqualTo(expected);
        assertThat(e.overCapacity()).isFalse();
        assertThat(e.labels()).containsEntry("team", "shop");
    }

    static Stream<Arguments> capacity() {
        return Stream.of(
                Arguments.of(1000, 0, false, 1000, 0),
                Arguments.of(1001, 0, true, 1000, 0),
                Arguments.of(900, 300, true, 900, 100),
                Arguments.of(1200, 50, true, 1000, 0));
    }

    @ParameterizedTest(name = "{0} ready + {1} not ready → truncated {2}: {3} ready, {4} not ready")
    @MethodSource("capacity")
    void capsAtAThousandAddressesKeepingReadyOnesFirst(int ready, int notReady, boolean truncated, int keptReady,
            int keptNotReady) {
        List<PodView> pods = new ArrayList<>();
        for (int i = 0; i < ready + notReady; i++) {
            pods.add(pod("p" + i, 8080, i < ready, false, "10.1." + (i / 250) + "." + (i % 250 + 1)));
        }
        LegacyEndpoints e = EndpointsPlanner.desired(service(), pods);
        assertThat(e.overCapacity()).isEqualTo(truncated);
        assertThat(e.subsets().stream().mapToInt(s -> s.addresses().size()).sum()).isEqualTo(keptReady);
        assertThat(e.subsets().stream().mapToInt(s -> s.notReadyAddresses().size()).sum()).isEqualTo(keptNotReady);
    }

    @Test
    void truncationSpreadsOverSubsetsInProportion() {
        List<Subset> subsets = new ArrayList<>();
        List<PodView> pods = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            pods.add(pod("p" + i, i < 1000 ? 8080 : 9090, true, false, "10.2." + (i / 250) + "." + (i % 250 + 1)));
        }
        LegacyEndpoints e = EndpointsPlanner.desired(service(), pods);
        subsets.addAll(e.subsets());
        assertThat(subsets).extracting(s -> s.addresses().size()).containsExactly(667, 333);
    }

    @Test
    void headlessServiceGetsTheHeadlessLabel() {
        LegacyEndpoints e = EndpointsPlanner.desired(service(false, List.of("IPv4"), "None"),
                List.of(pod("a", 8080, true, false, "10.0.0.1")));
        assertThat(e.labels()).containsEntry("service.kubernetes.io/headless", "");
    }

    private static LegacyEndpoints labelled(Map<String, String> labels) {
        return new LegacyEndpoints(labels, false, List.of());
    }

    static Stream<Arguments> writes() {
        SliceService svc = service();
        List<PodView> pods = List.of(pod("a", 8080, true, false, "10.0.0.1"));
        LegacyEndpoints planned = EndpointsPlanner.plan(svc, pods, null).endpoints();
        LegacyEndpoints stale = EndpointsPlanner.plan(svc, List.of(), null).endpoints();
        LegacyEndpoints users = new LegacyEndpoints(Map.of("team", "shop"), false, planned.subsets());
        return Stream.of(
                Arguments.of("no Endpoints object: created", null, "CREATE"),
                Arguments.of("ours, as planned: nothing", planned, "NOTHING"),
                Arguments.of("ours, other addresses: updated", stale, "UPDATE"),
                Arguments.of("a user's for a Service with a selector: taken over (updated), as upstream", users,
                        "UPDATE"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writes")
    void writesTheEndpointsOnlyWhenTheyDiffer(String name, LegacyEndpoints existing, String op) {
        EndpointsPlan plan = EndpointsPlanner.plan(service(), List.of(pod("a", 8080, true, false, "10.0.0.1")),
                existing);
        assertThat(plan.op().name()).isEqualTo(op);
        if (plan.endpoints() != null) {
            assertThat(plan.endpoints().labels()).containsEntry(LegacyEndpoints.MANAGED_BY_LABEL,
                    LegacyEndpoints.MANAGED_BY).containsEntry("team", "shop");
            assertThat(describe(plan.endpoints())).containsExactly("[10.0.0.1 |  | http:8080]");
        }
    }

    static Stream<Arguments> removals() {
        return Stream.of(
                Arguments.of("none", null, "NOTHING"),
                Arguments.of("written by this operator", labelled(Map.of(LegacyEndpoints.MANAGED_BY_LABEL,
                        LegacyEndpoints.MANAGED_BY)), "DELETE"),
                Arguments.of("a user's (no managed-by)", labelled(Map.of()), "NOTHING"),
                Arguments.of("another controller's", labelled(Map.of(LegacyEndpoints.MANAGED_BY_LABEL, "x")),
                        "NOTHING"));
    }

    @ParameterizedTest(name = "Service gone or ExternalName, Endpoints {0}: {2}")
    @MethodSource("removals")
    void removesOnlyTheEndpointsItWrote(String name, LegacyEndpoints existing, String op) {
        assertThat(EndpointsPlanner.removal(existing).op().name()).isEqualTo(op);
    }
}
