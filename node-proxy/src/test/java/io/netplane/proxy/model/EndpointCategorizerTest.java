package io.netplane.proxy.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.api.net.IpFamily;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rows follow kube-proxy's {@code topology_test.go}: which endpoints each path uses for a node "node-a" in
 * zone "zone-a". Endpoint names: {@code 10.0.0.N}; "L" marks an endpoint on this node.
 */
class EndpointCategorizerTest {

    enum Policy { CLUSTER, LOCAL }

    static Endpoint ep(int n, boolean ready, boolean serving, boolean terminating, boolean local, Set<String> zones,
            Set<String> nodes) {
        return new Endpoint("10.0.0." + n, 80, ready, serving, terminating, local, zones, nodes);
    }

    static Endpoint ready(int n, boolean local) {
        return ep(n, true, true, false, local, Set.of(), Set.of());
    }

    static Endpoint zoned(int n, String zone) {
        return ep(n, true, true, false, false, zone == null ? Set.of() : Set.of(zone), Set.of());
    }

    static Endpoint terminating(int n, boolean serving, boolean local) {
        return ep(n, false, serving, true, local, Set.of(), Set.of());
    }

    static ServicePort port(Policy internal, Policy external, boolean nodePort) {
        return new ServicePort("ns", "svc", "p", "tcp", IpFamily.IPv4, "10.96.0.1", 80, nodePort ? 30000 : 0,
                List.of(), List.of(), List.of(), false, 0, internal == Policy.LOCAL,
                nodePort && external == Policy.LOCAL, 0);
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("no endpoints: nothing, hasAny false",
                        port(Policy.CLUSTER, Policy.CLUSTER, false), List.of(), List.of(), List.of(), List.of(), false),
                Arguments.of("ClusterIP, Cluster policy: every ready endpoint, not-ready ones left out",
                        port(Policy.CLUSTER, Policy.CLUSTER, false),
                        List.of(ready(1, false), ready(2, true), ep(3, false, false, false, false, Set.of(), Set.of())),
                        List.of(1, 2), List.of(), List.of(1, 2), true),
                Arguments.of("no ready endpoints: serving+terminating ones are the fallback, non-serving never",
                        port(Policy.CLUSTER, Policy.CLUSTER, false),
                        List.of(terminating(1, true, false), terminating(2, false, false)),
                        List.of(1), List.of(), List.of(1), true),
                Arguments.of("a ready endpoint exists: terminating ones are not used",
                        port(Policy.CLUSTER, Policy.CLUSTER, false),
                        List.of(ready(1, false), terminating(2, true, false)),
                        List.of(1), List.of(), List.of(1), true),
                Arguments.of("zone hints for this zone: only endpoints hinted for zone-a",
                        port(Policy.CLUSTER, Policy.CLUSTER, false),
                        List.of(zoned(1, "zone-a"), zoned(2, "zone-b"), zoned(3, "zone-a")),
                        List.of(1, 3), List.of(), List.of(1, 3), true),
                Arguments.of("one ready endpoint without a hint: hints ignored",
                        port(Policy.CLUSTER, Policy.CLUSTER, false),
                        List.of(zoned(1, "zone-a"), zoned(2, null)),
                        List.of(1, 2), List.of(), List.of(1, 2), true),
                Arguments.of("hints but none for this zone: hints ignored",
                        port(Policy.CLUSTER, Policy.CLUSTER, false),
                        List.of(zoned(1, "zone-b"), zoned(2, "zone-c")),
                        List.of(1, 2), List.of(), List.of(1, 2), true),
                Arguments.of("node hints for this node win over zone hints",
                        port(Policy.CLUSTER, Policy.CLUSTER, false),
                        List.of(ep(1, true, true, false, false, Set.of("zone-a"), Set.of("node-b")),
                                ep(2, true, true, false, true, Set.of("zone-a"), Set.of("node-a"))),
                        List.of(2), List.of(), List.of(2), true),
                Arguments.of("internalTrafficPolicy Local: only local ready endpoints, hasAny from remote ones",
                        port(Policy.LOCAL, Policy.CLUSTER, false),
                        List.of(ready(1, false), ready(2, true)),
                        List.of(), List.of(2), List.of(2), true),
                Arguments.of("internalTrafficPolicy Local, no local endpoint: nothing reachable but hasAny",
                        port(Policy.LOCAL, Policy.CLUSTER, false),
                        List.of(ready(1, false)),
                        List.of(), List.of(), List.of(), true),
                Arguments.of("internalTrafficPolicy Local ignores topology hints",
                        port(Policy.LOCAL, Policy.CLUSTER, false),
                        List.of(zoned(1, "zone-b"), ep(2, true, true, false, true, Set.of("zone-b"), Set.of())),
                        List.of(), List.of(2), List.of(2), true),
                Arguments.of("externalTrafficPolicy Local on a NodePort: cluster for ClusterIP, local for external",
                        port(Policy.CLUSTER, Policy.LOCAL, true),
                        List.of(ready(1, false), ready(2, true)),
                        List.of(1, 2), List.of(2), List.of(1, 2), true),
                Arguments.of("externalTrafficPolicy Local without NodePort/LB/externalIP is not a Local path",
                        port(Policy.CLUSTER, Policy.LOCAL, false),
                        List.of(ready(1, false), ready(2, true)),
                        List.of(1, 2), List.of(), List.of(1, 2), true),
                Arguments.of("local endpoint only terminating: Local falls back to it, the union adds it to cluster's",
                        port(Policy.CLUSTER, Policy.LOCAL, true),
                        List.of(ready(1, false), terminating(2, true, true)),
                        List.of(1), List.of(2), List.of(1, 2), true),
                Arguments.of("zone hints plus a local endpoint hinted elsewhere: union has both",
                        port(Policy.CLUSTER, Policy.LOCAL, true),
                        List.of(ep(1, true, true, false, false, Set.of("zone-a"), Set.of()),
                                ep(2, true, true, false, true, Set.of("zone-b"), Set.of())),
                        List.of(1), List.of(2), List.of(1, 2), true),
                Arguments.of("only non-serving terminating endpoints: nothing usable anywhere",
                        port(Policy.CLUSTER, Policy.LOCAL, true),
                        List.of(terminating(1, false, true)),
                        List.of(), List.of(), List.of(), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void categorizes(String name, ServicePort port, List<Endpoint> endpoints, List<Integer> cluster,
            List<Integer> local, List<Integer> all, boolean hasAny) {
        EndpointCategories c = EndpointCategorizer.categorize(endpoints, port, "node-a", "zone-a", true);
        assertThat(ids(c.cluster())).as("cluster").isEqualTo(cluster);
        assertThat(ids(c.local())).as("local").isEqualTo(local);
        assertThat(ids(c.allReachable())).as("all reachable").isEqualTo(all);
        assertThat(c.hasAny()).as("hasAny").isEqualTo(hasAny);
    }

    private static List<Integer> ids(List<Endpoint> eps) {
        return eps.stream().map(e -> Integer.parseInt(e.ip().substring(e.ip().lastIndexOf('.') + 1))).toList();
    }
}
