package io.netplane.proxy.state;

import static io.netplane.proxy.fixtures.ServiceBuilder.service;
import static io.netplane.proxy.fixtures.SliceBuilder.slice;
import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.api.events.EndpointSliceView;
import io.netplane.api.events.EndpointSliceView.EndpointPortView;
import io.netplane.api.events.EndpointSliceView.EndpointView;
import io.netplane.api.events.ObjectRef;
import io.netplane.api.events.ServiceView;
import io.netplane.api.net.IpFamily;
import io.netplane.proxy.model.ServicePlanner;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which Services a slice event affects, the slices kept per Service, and that what is kept plans the same. */
class ClusterStateTest {
    final ClusterState state = new ClusterState("node-a");

    static EndpointSliceView web(String name, String service, String ip) {
        return slice("ns", name, service).port("http", "TCP", 8080).ready(ip, "node-b").build();
    }

    static List<String> ips(List<EndpointSliceView> slices) {
        return slices.stream().flatMap(s -> s.endpoints().stream()).map(e -> e.addresses().get(0)).toList();
    }

    /** An endpoint with every field an EndpointSlice can give it. */
    static EndpointView endpoint(List<String> addresses, boolean ready, boolean serving, boolean terminating,
            String node, List<String> zoneHints, List<String> nodeHints) {
        return new EndpointView(addresses, ready, serving, terminating, "pod-" + addresses, new String(node),
                "zone-1", zoneHints, nodeHints, new ObjectRef("Pod", "ns", "pod", "uid"));
    }

    static EndpointSliceView slice4(String name, String service, String proxyName, boolean headless,
            EndpointView... endpoints) {
        return new EndpointSliceView("ns", name, "42", Instant.now(), service, "IPv4",
                "endpointslice-controller.k8s.io", List.of(new EndpointPortView("http", "TCP", 8080, "http")),
                List.of(endpoints), proxyName, headless);
    }

    static Stream<Arguments> rows() {
        EndpointView ready = endpoint(List.of("10.0.0.1", "10.0.0.9"), true, true, false, "node-b", List.of(),
                List.of());
        EndpointView local = endpoint(List.of("10.0.0.2"), true, true, false, "node-a", List.of(), List.of());
        EndpointView terminating = endpoint(List.of("10.0.0.3"), false, true, true, "node-a", List.of(), List.of());
        EndpointView noAddress = endpoint(List.of(), true, true, false, "node-b", List.of(), List.of());
        EndpointView hinted = endpoint(List.of("10.0.0.4"), true, true, false, "node-b", List.of("zone-1"),
                List.of("node-a"));
        return Stream.of(
                Arguments.of("ClusterIP, endpoints ready, local, terminating, without an address",
                        service("ns", "web", "10.96.0.10").port("http", "TCP", 80, 8080).build(),
                        List.of(slice4("web-1", "web", null, false, ready, local, terminating, noAddress))),
                Arguments.of("every external path, Local policies, affinity",
                        service("ns", "web", "10.96.0.10").nodePort("http", "TCP", 80, 8080, 30080)
                                .externalIPs("192.0.2.1").loadBalancer("198.51.100.1").sourceRanges("203.0.113.0/24")
                                .clientIpAffinity(60).externalLocal(31000).internalLocal().build(),
                        List.of(slice4("web-1", "web", null, false, ready, local, terminating))),
                Arguments.of("hints on some endpoints only, two slices",
                        service("ns", "web", "10.96.0.10").port("http", "TCP", 80, 8080).build(),
                        List.of(slice4("web-1", "web", null, false, ready, hinted),
                                slice4("web-2", "web", null, false, hinted, local))),
                Arguments.of("slices labelled headless or for another proxy",
                        service("ns", "web", "10.96.0.10").port("http", "TCP", 80, 8080).build(),
                        List.of(slice4("web-1", "web", "other", false, ready),
                                slice4("web-2", "web", null, true, local),
                                slice4("web-3", "web", null, false, terminating))),
                Arguments.of("a Service for another proxy",
                        service("ns", "web", "10.96.0.10").proxyName("other").port("http", "TCP", 80, 8080).build(),
                        List.of(slice4("web-1", "web", "other", false, ready))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void whatIsKeptPlansAsTheWholeObjects(String why, ServiceView svc, List<EndpointSliceView> slices) {
        state.putService("ns/web", svc);
        slices.forEach(s -> state.putSlice("ns/" + s.name(), s));
        for (String proxyName : new String[] {null, "other"}) {
            assertThat(ServicePlanner.plan(state.service("ns/web"), state.slicesFor("ns/web"), IpFamily.IPv4,
                    "node-a", proxyName))
                    .isEqualTo(ServicePlanner.plan(svc, slices, IpFamily.IPv4, "node-a", proxyName));
        }
    }

    @Test
    void keepsOfASliceOnlyWhatThePlannerReads() {
        EndpointView e = endpoint(List.of("10.0.0.1", "10.0.0.9"), true, true, false, "node-b", List.of("zone-1"),
                List.of());
        state.putSlice("ns/web-1", slice4("web-1", "web", "other", false, e));
        EndpointSliceView kept = state.slicesFor("ns/web").get(0);
        assertThat(kept).isEqualTo(new EndpointSliceView("ns", "web-1", null, null, "web", "IPv4", null,
                List.of(new EndpointPortView("http", "TCP", 8080, "http")), List.of(new EndpointView(
                        List.of("10.0.0.1"), true, true, false, null, "node-b", null, List.of("zone-1"), List.of(),
                        null)), "other", false));
        assertThat(kept.endpoints().get(0).nodeName()).isSameAs("node-b");
    }

    @Test
    void slicesOfAServiceInArrivalOrderAndAnUpdatedSliceKeepsItsPlace() {
        assertThat(state.putSlice("ns/web-1", web("web-1", "web", "10.0.0.1"))).containsExactly("ns/web");
        state.putSlice("ns/web-2", web("web-2", "web", "10.0.0.2"));
        state.putSlice("ns/web-1", web("web-1", "web", "10.0.0.3"));
        assertThat(ips(state.slicesFor("ns/web"))).containsExactly("10.0.0.3", "10.0.0.2");
    }

    @Test
    void aSliceMovedToAnotherServiceAffectsBothAndARemovedOneLeavesNothing() {
        state.putSlice("ns/s", web("s", "web", "10.0.0.1"));
        assertThat(state.putSlice("ns/s", web("s", "api", "10.0.0.1"))).containsExactlyInAnyOrder("ns/web", "ns/api");
        assertThat(state.slicesFor("ns/web")).isEmpty();
        assertThat(ips(state.slicesFor("ns/api"))).containsExactly("10.0.0.1");
        assertThat(state.putSlice("ns/s", null)).containsExactly("ns/api");
        assertThat(state.slicesFor("ns/api")).isEmpty();
        assertThat(state.putSlice("ns/never-seen", null)).isEmpty();
    }
}
