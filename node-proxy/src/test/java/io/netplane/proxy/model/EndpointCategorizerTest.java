package io.netplane.proxy.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.api.net.IpFamily;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rows follow kube-proxy's {@code topology_test.go}: which endpoints each path uses for a node "node-a" in zone
 * "zone-a". Endpoint {@code ep(N)} is {@code 10.0.0.N}, ready and serving unless a row says otherwise. As upstream
 * keeps a nil set apart from an empty one, a row says {@code UNUSED} where the port has no such path at all, and
 * {@code none()} where the path exists and has no endpoint.
 */
class EndpointCategorizerTest {
    /** The port does not route any path with that policy: upstream returns nil for it. */
    static final List<Integer> UNUSED = null;

    /** An endpoint for a row: ready, serving, not terminating, remote, without hints, until told otherwise. */
    static final class Ep {
        private final int n;
        private boolean ready = true;
        private boolean serving = true;
        private boolean terminating;
        private boolean local;
        private Set<String> zones = Set.of();
        private Set<String> nodes = Set.of();

        private Ep(int n) {
            this.n = n;
        }

        Ep notReady() {
            ready = false;
            serving = false;
            return this;
        }

        /** Terminating and still serving (upstream's serving+terminating fallback). */
        Ep terminatingServing() {
            ready = false;
            serving = true;
            terminating = true;
            return this;
        }

        Ep terminatingNotServing() {
            ready = false;
            serving = false;
            terminating = true;
            return this;
        }

        Ep local() {
            local = true;
            return this;
        }

        Ep zoneHints(String... zones) {
            this.zones = Set.of(zones);
            return this;
        }

        Ep nodeHints(String... nodes) {
            this.nodes = Set.of(nodes);
            return this;
        }

        Endpoint build() {
            return new Endpoint("10.0.0." + n, 80, ready, serving, terminating, local, zones, nodes);
        }
    }

    static Ep ep(int n) {
        return new Ep(n);
    }

    /** A ClusterIP port with both policies Cluster until told otherwise. */
    static final class Port {
        private boolean internalLocal;
        private boolean externalLocal;
        private boolean nodePort;

        Port internalLocal() {
            internalLocal = true;
            return this;
        }

        Port externalLocal() {
            externalLocal = true;
            return this;
        }

        Port nodePort() {
            nodePort = true;
            return this;
        }

        ServicePort build() {
            return new ServicePort("ns", "svc", "p", "tcp", IpFamily.IPv4, "10.96.0.1", 80, nodePort ? 30000 : 0,
                    List.of(), List.of(), List.of(), false, 0, internalLocal, nodePort && externalLocal, 0);
        }
    }

    static Port port() {
        return new Port();
    }

    static List<Ep> eps(Ep... eps) {
        return Arrays.asList(eps);
    }

    static List<Integer> ids(Integer... ids) {
        return List.of(ids);
    }

    static List<Integer> none() {
        return List.of();
    }

    static Arguments row(String why, Port port, List<Ep> endpoints, List<Integer> cluster, List<Integer> local,
            List<Integer> allReachable, boolean hasAny) {
        return Arguments.of(why, port, endpoints, cluster, local, allReachable, hasAny);
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                row("no endpoints: nothing, hasAny false",
                        port(), eps(), none(), UNUSED, none(), false),
                row("ClusterIP, Cluster policy: every ready endpoint, not-ready ones left out",
                        port(), eps(ep(1), ep(2).local(), ep(3).notReady()),
                        ids(1, 2), UNUSED, ids(1, 2), true),
                row("no ready endpoints: serving+terminating ones are the fallback, non-serving never",
                        port(), eps(ep(1).terminatingServing(), ep(2).terminatingNotServing()),
                        ids(1), UNUSED, ids(1), true),
                row("a ready endpoint exists: terminating ones are not used",
                        port(), eps(ep(1), ep(2).terminatingServing()),
                        ids(1), UNUSED, ids(1), true),
                row("zone hints for this zone: only endpoints hinted for zone-a",
                        port(), eps(ep(1).zoneHints("zone-a"), ep(2).zoneHints("zone-b"), ep(3).zoneHints("zone-a")),
                        ids(1, 3), UNUSED, ids(1, 3), true),
                row("one ready endpoint without a hint: hints ignored",
                        port(), eps(ep(1).zoneHints("zone-a"), ep(2)),
                        ids(1, 2), UNUSED, ids(1, 2), true),
                row("hints but none for this zone: hints ignored",
                        port(), eps(ep(1).zoneHints("zone-b"), ep(2).zoneHints("zone-c")),
                        ids(1, 2), UNUSED, ids(1, 2), true),
                row("node hints for this node win over zone hints",
                        port(), eps(ep(1).zoneHints("zone-a").nodeHints("node-b"),
                                ep(2).local().zoneHints("zone-a").nodeHints("node-a")),
                        ids(2), UNUSED, ids(2), true),
                row("internalTrafficPolicy Local: only local ready endpoints, hasAny from remote ones",
                        port().internalLocal(), eps(ep(1), ep(2).local()),
                        UNUSED, ids(2), ids(2), true),
                row("internalTrafficPolicy Local, no local endpoint: nothing reachable but hasAny",
                        port().internalLocal(), eps(ep(1)),
                        UNUSED, none(), none(), true),
                row("internalTrafficPolicy Local ignores topology hints",
                        port().internalLocal(), eps(ep(1).zoneHints("zone-b"), ep(2).local().zoneHints("zone-b")),
                        UNUSED, ids(2), ids(2), true),
                row("externalTrafficPolicy Local on a NodePort: cluster for ClusterIP, local for external",
                        port().nodePort().externalLocal(), eps(ep(1), ep(2).local()),
                        ids(1, 2), ids(2), ids(1, 2), true),
                row("externalTrafficPolicy Local without NodePort/LB/externalIP is not a Local path",
                        port().externalLocal(), eps(ep(1), ep(2).local()),
                        ids(1, 2), UNUSED, ids(1, 2), true),
                row("local endpoint only terminating: Local falls back to it, the union adds it to cluster's",
                        port().nodePort().externalLocal(), eps(ep(1), ep(2).local().terminatingServing()),
                        ids(1), ids(2), ids(1, 2), true),
                row("zone hints plus a local endpoint hinted elsewhere: union has both",
                        port().nodePort().externalLocal(),
                        eps(ep(1).zoneHints("zone-a"), ep(2).local().zoneHints("zone-b")),
                        ids(1), ids(2), ids(1, 2), true),
                row("only non-serving terminating endpoints: nothing usable anywhere",
                        port().nodePort().externalLocal(), eps(ep(1).local().terminatingNotServing()),
                        none(), none(), none(), false),
                row("both policies Local on a NodePort: no path uses cluster endpoints",
                        port().nodePort().internalLocal().externalLocal(), eps(ep(1), ep(2).local()),
                        UNUSED, ids(2), ids(2), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void categorizes(String why, Port port, List<Ep> endpoints, List<Integer> cluster, List<Integer> local,
            List<Integer> allReachable, boolean hasAny) {
        ServicePort p = port.build();
        EndpointCategories c = EndpointCategorizer.categorize(endpoints.stream().map(Ep::build).toList(), p,
                "node-a", "zone-a", true);
        assertThat(p.usesClusterEndpoints()).as("a path uses cluster endpoints").isEqualTo(cluster != UNUSED);
        assertThat(p.usesLocalEndpoints()).as("a path uses local endpoints").isEqualTo(local != UNUSED);
        assertThat(numbers(c.cluster())).as("cluster").isEqualTo(cluster == UNUSED ? List.of() : cluster);
        assertThat(numbers(c.local())).as("local").isEqualTo(local == UNUSED ? List.of() : local);
        assertThat(numbers(c.allReachable())).as("all reachable").isEqualTo(allReachable);
        assertThat(c.hasAny()).as("hasAny").isEqualTo(hasAny);
    }

    private static List<Integer> numbers(List<Endpoint> eps) {
        return eps.stream().map(e -> Integer.parseInt(e.ip().substring(e.ip().lastIndexOf('.') + 1))).toList();
    }
}
