package io.netplane.endpoints.slicing;

import static io.netplane.endpoints.slicing.Fixtures.describe;
import static io.netplane.endpoints.slicing.Fixtures.node;
import static io.netplane.endpoints.slicing.Fixtures.nodes;
import static io.netplane.endpoints.slicing.Fixtures.pod;
import static io.netplane.endpoints.slicing.Fixtures.pods;
import static io.netplane.endpoints.slicing.Fixtures.reasons;
import static io.netplane.endpoints.slicing.Fixtures.service;
import static io.netplane.endpoints.slicing.Fixtures.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.api.events.EndpointSliceView.EndpointView;
import io.netplane.api.events.NodeView;
import io.netplane.api.events.PodView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Topology-aware routing (topology-mode: Auto, hints proportional to allocatable CPU per zone, with the documented
 * safeguards) and trafficDistribution (PreferClose: each endpoint hinted to its own zone).
 */
class SlicePlannerHintsTest {

    /** Pods placed on nodes in round robin: Pod i on nodes[i % n]. */
    private static List<PodView> spread(int count, String... nodeNames) {
        List<PodView> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String n = nodeNames[i % nodeNames.length];
            out.add(with(pod(i), p -> p.node(n)));
        }
        return out;
    }

    /** Zone hint → number of endpoints hinted to it; "none" counts endpoints without hints. */
    private static Map<String, Integer> hintCounts(SlicePlan plan) {
        Map<String, Integer> out = new TreeMap<>();
        for (Slice s : plan.creates()) {
            for (EndpointView e : s.endpoints()) {
                if (e.zoneHints().isEmpty()) {
                    out.merge("none", 1, Integer::sum);
                } else {
                    e.zoneHints().forEach(z -> out.merge(z, 1, Integer::sum));
                }
            }
        }
        return out;
    }

    private static SlicePlan auto(Map<String, NodeView> nodes, List<PodView> pods) {
        return SlicePlanner.plan(service(s -> s.topologyAuto = true), pods, nodes, ZoneCapacity.of(nodes.values()),
                List.of(), Fixtures.MAX_100);
    }

    static Stream<Arguments> topologyAuto() {
        Map<String, NodeView> even = nodes(node("a1", "zone-a", 2000), node("b1", "zone-b", 2000));
        Map<String, NodeView> threeZones = nodes(node("a1", "zone-a", 1000), node("b1", "zone-b", 1000),
                node("c1", "zone-c", 1000));
        Map<String, NodeView> skewed = nodes(node("a1", "zone-a", 3000), node("b1", "zone-b", 1000));
        Map<String, NodeView> unlabelled = nodes(node("a1", "zone-a", 2000), node("b1", "zone-b", 2000),
                node("x1", null, 2000));
        Map<String, NodeView> oneZone = nodes(node("a1", "zone-a", 2000), node("a2", "zone-a", 2000));
        return Stream.of(
                Arguments.of("balanced: each endpoint hinted to its own zone", even, spread(4, "a1", "b1"),
                        Map.of("zone-a", 2, "zone-b", 2), List.of(TopologyHints.ENABLED)),
                Arguments.of("1 endpoint in zone-a, 3 in zone-b, equal CPU: one zone-b endpoint serves zone-a", even,
                        spread(4, "a1", "b1", "b1", "b1"), Map.of("zone-a", 2, "zone-b", 2),
                        List.of(TopologyHints.ENABLED)),
                Arguments.of("CPU 3:1 with 8 endpoints evenly placed: zone-a gets 6 hints", skewed,
                        spread(8, "a1", "b1"), Map.of("zone-a", 6, "zone-b", 2), List.of(TopologyHints.ENABLED)),
                Arguments.of("fewer endpoints than zones: no hints", threeZones, spread(2, "a1", "b1"),
                        Map.of("none", 2), List.of(TopologyHints.DISABLED)),
                Arguments.of("minimum per zone would overload: no hints", threeZones, spread(4, "a1", "b1", "c1"),
                        Map.of("none", 4), List.of(TopologyHints.DISABLED)),
                Arguments.of("a ready Node without zone label: no hints at all", unlabelled, spread(4, "a1", "b1"),
                        Map.of("none", 4), List.of(TopologyHints.DISABLED)),
                Arguments.of("ready Nodes in one zone only: no hints", oneZone, spread(4, "a1", "a2"),
                        Map.of("none", 4), List.of(TopologyHints.DISABLED)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topologyAuto")
    void topologyModeAuto(String name, Map<String, NodeView> nodes, List<PodView> pods, Map<String, Integer> expected,
            List<String> events) {
        SlicePlan plan = auto(nodes, pods);
        assertThat(hintCounts(plan)).isEqualTo(expected);
        assertThat(reasons(plan)).isEqualTo(events);
    }

    @Test
    void theOlderTopologyAwareHintsAnnotationEnablesTheSameHeuristic() {
        assertThat(TopologyMode.isAuto(Map.of("service.kubernetes.io/topology-aware-hints", "auto")))
                .isTrue();
        assertThat(TopologyMode.isAuto(Map.of("service.kubernetes.io/topology-mode", "Auto")))
                .isTrue();
        assertThat(TopologyMode.isAuto(Map.of("service.kubernetes.io/topology-mode", "Disabled")))
                .isFalse();
        // the deprecated annotation wins when both are set, as upstream
        assertThat(TopologyMode.isAuto(Map.of("service.kubernetes.io/topology-aware-hints", "disabled",
                "service.kubernetes.io/topology-mode", "Auto"))).isFalse();
    }

    @Test
    void hintsEnabledIsANormalEventOnlyWhenTheSlicesHadNoHintsBefore() {
        Map<String, NodeView> even = nodes(node("a1", "zone-a", 2000), node("b1", "zone-b", 2000));
        SlicePlan first = auto(even, spread(4, "a1", "b1"));
        assertThat(first.events()).singleElement().satisfies(e -> {
            assertThat(e.problem().type()).isEqualTo(io.netplane.api.report.Problem.Type.Normal);
            assertThat(e.problem().message()).isEqualTo("Topology Aware Hints has been enabled, addressType: IPv4");
        });
        List<Slice> written = first.creates().stream().map(s -> new Slice("web-abc12", s.addressType(), s.ports(),
                s.endpoints(), s.labels(), s.ownerServiceUids())).toList();
        SlicePlan again = SlicePlanner.plan(service(s -> s.topologyAuto = true), spread(6, "a1", "b1"), even,
                ZoneCapacity.of(even.values()), written, Fixtures.MAX_100);
        assertThat(again.updates()).isNotEmpty();
        assertThat(again.events()).isEmpty();
    }

    @Test
    void notReadyEndpointsGetNoHint() {
        Map<String, NodeView> even = nodes(node("a1", "zone-a", 2000), node("b1", "zone-b", 2000));
        List<PodView> pods = new ArrayList<>(spread(4, "a1", "b1"));
        pods.add(with(pod(9), p -> p.node("a1").ready(false)));
        SlicePlan plan = auto(even, pods);
        assertThat(hintCounts(plan)).isEqualTo(Map.of("zone-a", 2, "zone-b", 2, "none", 1));
    }

    @Test
    void preferCloseHintsEachReadyEndpointToItsOwnZone() {
        SlicePlan plan = Fixtures.plan(service(s -> s.trafficDistribution = "PreferClose"),
                List.of(pod(0), pod(1), with(pod(2), p -> p.ready(false))), List.of());
        List<EndpointView> eps = plan.creates().get(0).endpoints();
        assertThat(eps).extracting(e -> e.targetRef().name() + "→" + e.zoneHints())
                .containsExactlyInAnyOrder("web-0→[zone-a]", "web-1→[zone-b]", "web-2→[]");
        assertThat(eps).allSatisfy(e -> assertThat(e.nodeHints()).isEmpty());
    }

    @Test
    void preferSameNodeAlsoHintsTheNode() {
        SlicePlan plan = Fixtures.plan(service(s -> s.trafficDistribution = "PreferSameNode"), List.of(pod(0)),
                List.of());
        EndpointView e = plan.creates().get(0).endpoints().get(0);
        assertThat(e.zoneHints()).containsExactly("zone-a");
        assertThat(e.nodeHints()).containsExactly("node-a");
    }

    @Test
    void switchingPreferCloseOnUpdatesAnUnchangedSliceAndOffAgainRemovesTheHints() {
        SliceService plain = service();
        Slice existing = Fixtures.slice("web-a", plain, "IPv4", Fixtures.HTTP_8080, pods(0, 2));
        SlicePlan on = Fixtures.plan(service(s -> s.trafficDistribution = "PreferClose"), pods(0, 2),
                List.of(existing));
        assertThat(describe(on)).isEqualTo("~web-a:2");
        Slice hinted = on.updates().get(0);
        assertThat(hinted.endpoints()).allSatisfy(e -> assertThat(e.zoneHints()).hasSize(1));

        SlicePlan again = Fixtures.plan(service(s -> s.trafficDistribution = "PreferClose"), pods(0, 2),
                List.of(hinted));
        assertThat(describe(again)).as("hints already right: no write").isEqualTo("nothing");

        SlicePlan off = Fixtures.plan(plain, pods(0, 2), List.of(hinted));
        assertThat(describe(off)).isEqualTo("~web-a:2");
        assertThat(off.updates().get(0).endpoints()).allSatisfy(e -> assertThat(e.zoneHints()).isEmpty());
    }
}
