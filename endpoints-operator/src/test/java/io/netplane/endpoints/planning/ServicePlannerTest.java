package io.netplane.endpoints.planning;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.api.events.NodeView;
import io.netplane.api.events.PodView;
import io.netplane.api.events.PodView.ContainerPortView;
import io.netplane.api.events.ServiceView.ServicePortView;
import io.netplane.endpoints.legacy.EndpointsPlanner;
import io.netplane.endpoints.legacy.LegacyEndpoints;
import io.netplane.endpoints.legacy.LegacyEndpoints.Address;
import io.netplane.endpoints.legacy.LegacyEndpoints.Port;
import io.netplane.endpoints.legacy.LegacyEndpoints.Subset;
import io.netplane.endpoints.slicing.MirrorPlanner;
import io.netplane.endpoints.slicing.Slice;
import io.netplane.endpoints.slicing.Fixtures;
import io.netplane.endpoints.slicing.SlicePlanner;
import io.netplane.endpoints.slicing.SlicePod;
import io.netplane.endpoints.slicing.SliceService;
import io.netplane.endpoints.slicing.TriggerTimes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which rule decides a Service and what goes, as upstream's EndpointSlice, mirroring and endpoints controllers
 * split the work. Plans read {@code KIND slices: … mirrored: … endpoints: OP}, slices as {@code +IPv4:1} (a create
 * with one endpoint), {@code -web-a} (a delete).
 */
class ServicePlannerTest {
    private static final SlicePlanner.Settings SETTINGS =
            new SlicePlanner.Settings(100, "endpointslice-controller.k8s.io");
    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
    private static final Map<String, NodeView> NODES = Map.of("node-a",
            new NodeView("node-a", "n", "1", null, List.of(), "zone-a", List.of(), true, 4000, Map.of()));
    private static final List<Port> PG = List.of(new Port("pg", 5432, "TCP", null));

    /** A row's state: by default Service shop/web selecting app=web, nothing else. */
    private static final class Row {
        boolean gone;
        Map<String, String> selector = Map.of("app", "web");
        boolean externalName;
        List<SlicePod> pods = new ArrayList<>();
        List<Slice> managed = List.of();
        List<Slice> mirrored = List.of();
        LegacyEndpoints endpoints;

        ServiceState state() {
            SliceService service = gone ? null : new SliceService("shop", "web", "svc-uid",
                    externalName ? "" : "10.96.0.10", externalName ? List.of() : List.of("IPv4"), selector,
                    List.of(new ServicePortView("http", "TCP", 80, "8080", null, null)), false, Map.of(), false,
                    null, false, externalName);
            return new ServiceState("shop", "web", service, CREATED, pods, NODES, null, managed, mirrored, endpoints,
                    endpoints == null ? null : "ep-uid", null);
        }
    }

    private static ServiceState state(Consumer<Row> change) {
        Row r = new Row();
        change.accept(r);
        return r.state();
    }

    private static SlicePod pod(String name, String readySince) {
        return new SlicePod(new PodView("shop", name, "u-" + name, "1", null, "node-a", "Running",
                List.of("10.0.0.1"), false, null, null, true, false, Map.of("app", "web"),
                List.of(new ContainerPortView("http", 8080, "TCP"))), readySince == null ? null
                : Instant.parse(readySince));
    }

    private static Slice slice(String name, String managedBy) {
        return new Slice(name, "IPv4", List.of(), List.of(), Map.of("kubernetes.io/service-name", "web",
                "endpointslice.kubernetes.io/managed-by", managedBy), List.of("svc-uid"));
    }

    private static LegacyEndpoints endpoints(boolean ours, Map<String, String> labels) {
        Map<String, String> all = new HashMap<>(labels);
        if (ours) {
            all.put(LegacyEndpoints.MANAGED_BY_LABEL, LegacyEndpoints.MANAGED_BY);
        }
        return new LegacyEndpoints(all, false, List.of(new Subset(
                List.of(new Address("192.168.0.1", null, null, null)), List.of(), PG)));
    }

    private static final LegacyEndpoints OURS = endpoints(true, Map.of());
    private static final LegacyEndpoints USERS = endpoints(false, Map.of());
    private static final Slice MANAGED = slice("web-a", "endpointslice-controller.k8s.io");
    private static final Slice MIRRORED = slice("web-m", MirrorPlanner.MANAGED_BY);

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("Service gone: its slices, its mirrored slices and the Endpoints we wrote go",
                        state(r -> {
                            r.gone = true;
                            r.managed = List.of(MANAGED);
                            r.mirrored = List.of(MIRRORED);
                            r.endpoints = OURS;
                        }), "GONE slices: -web-a mirrored: -web-m endpoints: DELETE"),
                Arguments.of("Service gone: a user's Endpoints object stays", state(r -> {
                    r.gone = true;
                    r.endpoints = USERS;
                }), "GONE slices: nothing mirrored: nothing endpoints: NOTHING"),
                Arguments.of("no selector, a user's Endpoints: mirrored, the Endpoints left alone", state(r -> {
                    r.selector = null;
                    r.endpoints = USERS;
                }), "MIRROR slices: nothing mirrored: +IPv4:1 endpoints: NOTHING"),
                Arguments.of("no selector, Endpoints labelled skip-mirror: not mirrored, old mirrored slices go",
                        state(r -> {
                            r.selector = null;
                            r.endpoints = endpoints(false, Map.of(MirrorPlanner.SKIP_MIRROR_LABEL, "true"));
                            r.mirrored = List.of(MIRRORED);
                        }), "MIRROR slices: nothing mirrored: -web-m endpoints: NOTHING"),
                Arguments.of("no selector, Endpoints the endpoints controller wrote: not mirrored", state(r -> {
                    r.selector = null;
                    r.endpoints = OURS;
                }), "MIRROR slices: nothing mirrored: nothing endpoints: NOTHING"),
                Arguments.of("no selector: the controller's own slices are not touched (upstream leaves them)",
                        state(r -> {
                            r.selector = null;
                            r.managed = List.of(MANAGED);
                        }), "MIRROR slices: nothing mirrored: nothing endpoints: NOTHING"),
                Arguments.of("a selector: slices and Endpoints from the Pods; mirrored slices of before go",
                        state(r -> {
                            r.pods.add(pod("web-0", null));
                            r.mirrored = List.of(MIRRORED);
                            r.endpoints = USERS;
                        }), "MANAGE slices: +IPv4:1 mirrored: -web-m endpoints: UPDATE"),
                Arguments.of("a selector, no Endpoints object yet: created", state(r -> r.pods.add(pod("web-0", null))),
                        "MANAGE slices: +IPv4:1 mirrored: nothing endpoints: CREATE"),
                Arguments.of("ExternalName with a selector: its slices and the Endpoints we wrote go", state(r -> {
                    r.externalName = true;
                    r.pods.add(pod("web-0", null));
                    r.managed = List.of(MANAGED);
                    r.endpoints = OURS;
                }), "MANAGE slices: -web-a mirrored: nothing endpoints: DELETE"),
                Arguments.of("ExternalName without selector: not mirrored; a user's Endpoints stays", state(r -> {
                    r.externalName = true;
                    r.selector = null;
                    r.mirrored = List.of(MIRRORED);
                    r.endpoints = USERS;
                }), "MANAGE slices: nothing mirrored: -web-m endpoints: NOTHING"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void decidesTheWholeService(String why, ServiceState state, String expected) {
        assertThat(describe(ServicePlanner.plan(state, SETTINGS))).isEqualTo(expected);
    }

    @Test
    void endpointsAlreadyAsPlannedAreNotRewritten() {
        ServiceState first = state(r -> r.pods.add(pod("web-0", null)));
        LegacyEndpoints written = ServicePlanner.plan(first, SETTINGS).endpoints().endpoints();
        ServiceState again = state(r -> {
            r.pods.add(pod("web-0", null));
            r.endpoints = written;
        });
        assertThat(ServicePlanner.plan(again, SETTINGS).endpoints()).isEqualTo(
                EndpointsPlanner.plan(again.service(), List.of(pod("web-0", null).view()), written));
        assertThat(ServicePlanner.plan(again, SETTINGS).endpoints().op().name()).isEqualTo("NOTHING");
    }

    @Test
    void mirroredSlicesAreOwnedByTheEndpointsObject() {
        ServicePlan plan = ServicePlanner.plan(state(r -> {
            r.selector = null;
            r.endpoints = endpoints(false, Map.of("team", "data", MirrorPlanner.SKIP_MIRROR_LABEL, "false"));
        }), SETTINGS);
        assertThat(plan.mirrorOwner().uid()).isEqualTo("ep-uid");
        assertThat(plan.mirrored().creates()).singleElement().satisfies(s -> assertThat(s.labels())
                .containsEntry("team", "data").doesNotContainKey(MirrorPlanner.SKIP_MIRROR_LABEL)
                .containsEntry("endpointslice.kubernetes.io/managed-by", MirrorPlanner.MANAGED_BY));
    }

    @Test
    void theFirstSyncTakesTheServicesCreationAndLeavesOutPodsWaitingForTheirNode() {
        ServiceState state = state(r -> {
            r.pods.add(pod("web-0", "2026-01-01T00:01:00Z"));
            SlicePod lost = pod("web-1", "2026-01-01T00:02:00Z");
            r.pods.add(new SlicePod(new PodView("shop", "web-1", "u", "1", null, "ghost", "Running",
                    List.of("10.0.0.99"), false, null, null, true, false, Map.of("app", "web"), List.of()),
                    lost.readySince()));
        });
        TriggerTimes.Result trigger = ServicePlanner.plan(state, SETTINGS).trigger();
        assertThat(trigger.triggerTime()).isEqualTo(CREATED);
        assertThat(trigger.next().pods()).containsOnlyKeys("web-0");
        assertThat(ServicePlanner.plan(state, SETTINGS).retry()).as("web-1's Node may appear").isTrue();
    }

    private static String describe(ServicePlan plan) {
        return plan.kind() + " slices: " + Fixtures.describe(plan.slices()) + " mirrored: "
                + Fixtures.describe(plan.mirrored()) + " endpoints: " + plan.endpoints().op();
    }
}
