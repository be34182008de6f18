package io.netplane.endpoints.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.api.events.NodeView;
import io.netplane.api.events.PodView;
import io.netplane.endpoints.slicing.SlicePod;
import io.netplane.endpoints.slicing.SliceService;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which Services a Pod, Node or EndpointSlice event queues, as upstream's EndpointSlice controller's handlers decide
 * it. The cluster: in {@code shop}, Service {@code web} selects {@code app=web}, {@code api} selects {@code app=api}
 * with topology-aware hints, {@code db} has no selector; in {@code other}, {@code web} selects {@code app=web}. Pods
 * {@code shop/web-0} and {@code other/web-0} run on node-a, {@code shop/api-0} on node-b.
 */
class AffectedServicesTest {
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");
    private static final String MANAGED_BY = "endpointslice-controller.k8s.io";
    private static final String MIRRORING = "endpointslicemirroring-controller.k8s.io";

    private static SliceService service(String ns, String name, Map<String, String> selector, boolean hints) {
        return new SliceService(ns, name, "uid-" + name, "10.96.0.1", List.of("IPv4"), selector, List.of(), false,
                Map.of(), hints, null, false);
    }

    private static PodView pod(String ns, String name, String node, Map<String, String> labels) {
        return new PodView(ns, name, "uid-" + name, "1", null, node, "Running", List.of("10.0.0.1"), false, null,
                null, true, false, labels, List.of());
    }

    private static AffectedServices cluster() {
        PodIndex pods = new PodIndex();
        pods.put(new SlicePod(pod("shop", "web-0", "node-a", Map.of("app", "web")), null));
        pods.put(new SlicePod(pod("other", "web-0", "node-a", Map.of("app", "web")), null));
        pods.put(new SlicePod(pod("shop", "api-0", "node-b", Map.of("app", "api")), null));
        AffectedServices a = new AffectedServices(pods);
        a.put(service("shop", "web", Map.of("app", "web"), false));
        a.put(service("shop", "api", Map.of("app", "api"), true));
        a.put(service("shop", "db", null, false));
        a.put(service("other", "web", Map.of("app", "web"), false));
        return a;
    }

    static Stream<Arguments> podEvents() {
        return Stream.of(
                Arguments.of("a Pod labelled app=web: the Service selecting it", "shop",
                        List.of(Map.of("app", "web")), Set.of("shop/web")),
                Arguments.of("a Pod relabelled from app=web to app=api: the Services before and after", "shop",
                        List.of(Map.of("app", "web"), Map.of("app", "api")), Set.of("shop/web", "shop/api")),
                Arguments.of("the same labels in another namespace: only that namespace's Service", "other",
                        List.of(Map.of("app", "web")), Set.of("other/web")),
                Arguments.of("a Pod without labels: no Service (db, without selector, selects no Pod)", "shop",
                        List.of(Map.of()), Set.of()),
                Arguments.of("a namespace without Services", "empty", List.of(Map.of("app", "web")), Set.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("podEvents")
    void aPodEventQueuesTheServicesSelectingIt(String why, String namespace, List<Map<String, String>> labels,
            Set<String> expected) {
        assertThat(cluster().selecting(namespace, labels)).containsExactlyInAnyOrderElementsOf(expected);
    }

    static Stream<Arguments> nodeEvents() {
        return Stream.of(
                Arguments.of("node-a: the Services selecting its Pods, in every namespace", "node-a",
                        Set.of("shop/web", "other/web")),
                Arguments.of("node-b", "node-b", Set.of("shop/api")),
                Arguments.of("a Node without Pods", "node-c", Set.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nodeEvents")
    void aNodeEventQueuesTheServicesWithPodsOnIt(String why, String node, Set<String> expected) {
        assertThat(cluster().withPodsOn(node)).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void aCapacityChangeQueuesTheServicesWithTopologyHints() {
        assertThat(cluster().usingTopologyHints()).containsExactly("shop/api");
    }

    @Test
    void aDeletedServiceIsQueuedByNoPodAnyMore() {
        AffectedServices a = cluster();
        a.remove("shop", "web");
        assertThat(a.selecting("shop", List.of(Map.of("app", "web")))).isEmpty();
        assertThat(a.withPodsOn("node-a")).containsExactly("other/web");
    }

    static Stream<Arguments> sliceEvents() {
        return Stream.of(
                Arguments.of("the controller's slice: its Service",
                        Map.of("kubernetes.io/service-name", "web", "endpointslice.kubernetes.io/managed-by",
                                MANAGED_BY), Optional.of("shop/web")),
                Arguments.of("a mirrored slice: its Service",
                        Map.of("kubernetes.io/service-name", "db", "endpointslice.kubernetes.io/managed-by",
                                MIRRORING), Optional.of("shop/db")),
                Arguments.of("another writer's slice: none",
                        Map.of("kubernetes.io/service-name", "web", "endpointslice.kubernetes.io/managed-by",
                                "my-controller.example.com"), Optional.empty()),
                Arguments.of("no managed-by label: none", Map.of("kubernetes.io/service-name", "web"),
                        Optional.empty()),
                Arguments.of("no service-name label: none",
                        Map.of("endpointslice.kubernetes.io/managed-by", MANAGED_BY), Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sliceEvents")
    void aSliceEventQueuesItsServiceWhenOneOfTheControllersWroteIt(String why, Map<String, String> labels,
            Optional<String> expected) {
        assertThat(AffectedServices.ofSlice("shop", labels, List.of(MANAGED_BY, MIRRORING))).isEqualTo(expected);
    }

    private static PodView web0() {
        return new PodView("shop", "web-0", "u", "1", AT, "node-a", "Running", List.of("10.0.0.1"), false, null,
                null, true, false, Map.of("app", "web"), List.of());
    }

    private static PodView web0(UnaryOperator<PodFields> change) {
        PodFields f = change.apply(new PodFields());
        return new PodView("shop", "web-0", "u", f.resourceVersion, AT, f.node, f.phase, f.ips, false, f.hostname,
                null, f.ready, f.terminating, f.labels, List.of());
    }

    /** The fields of {@link #web0()} a row changes. */
    private static final class PodFields {
        String resourceVersion = "1";
        String node = "node-a";
        String phase = "Running";
        List<String> ips = List.of("10.0.0.1");
        String hostname;
        boolean ready = true;
        boolean terminating;
        Map<String, String> labels = Map.of("app", "web");
    }

    static Stream<Arguments> podUpdates() {
        return Stream.of(
                Arguments.of("only the resourceVersion (a status heartbeat): no", web0(f -> {
                    f.resourceVersion = "2";
                    return f;
                }), false),
                Arguments.of("Ready condition flips: yes", web0(f -> {
                    f.ready = false;
                    return f;
                }), true),
                Arguments.of("deletionTimestamp set: yes", web0(f -> {
                    f.terminating = true;
                    return f;
                }), true),
                Arguments.of("another IP: yes", web0(f -> {
                    f.ips = List.of("10.0.0.2");
                    return f;
                }), true),
                Arguments.of("phase Succeeded: yes", web0(f -> {
                    f.phase = "Succeeded";
                    return f;
                }), true),
                Arguments.of("relabelled: yes (another Service may select it)", web0(f -> {
                    f.labels = Map.of("app", "api");
                    return f;
                }), true),
                Arguments.of("hostname set: yes", web0(f -> {
                    f.hostname = "web-0";
                    return f;
                }), true),
                Arguments.of("scheduled to another Node: yes", web0(f -> {
                    f.node = "node-b";
                    return f;
                }), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("podUpdates")
    void aPodUpdateMattersOnlyWhenItCanChangeEndpoints(String why, PodView after, boolean matters) {
        assertThat(AffectedServices.changesEndpoints(web0(), after)).isEqualTo(matters);
    }

    private static NodeView node(String zone, boolean ready, long cpu, String address) {
        return new NodeView("node-a", "u", "1", AT, List.of(new NodeView.NodeAddressView("InternalIP", address)),
                zone, List.of(), ready, cpu, Map.of());
    }

    static Stream<Arguments> nodeUpdates() {
        NodeView before = node("zone-a", true, 4000, "192.168.0.1");
        return Stream.of(
                Arguments.of("a Node seen for the first time", null, before, true, true),
                Arguments.of("another zone: its endpoints move, capacity changes", before,
                        node("zone-b", true, 4000, "192.168.0.1"), true, true),
                Arguments.of("not ready any more: capacity only", before, node("zone-a", false, 4000, "192.168.0.1"),
                        false, true),
                Arguments.of("other allocatable CPU: capacity only", before,
                        node("zone-a", true, 2000, "192.168.0.1"), false, true),
                Arguments.of("another address only: nothing", before, node("zone-a", true, 4000, "192.168.0.2"),
                        false, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nodeUpdates")
    void aNodeUpdateMovesEndpointsOrChangesCapacity(String why, NodeView before, NodeView after, boolean moves,
            boolean capacity) {
        assertThat(AffectedServices.movesEndpoints(before, after)).isEqualTo(moves);
        assertThat(AffectedServices.changesCapacity(before, after)).isEqualTo(capacity);
    }
}
