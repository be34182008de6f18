package io.netplane.install.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Deployment and DaemonSet states as their controllers report them, cut to available / rolling out. */
class WorkloadStatesTest {

    static Stream<Arguments> deployments() {
        return Stream.of(
                Arguments.of("not found", null, false, false, false),
                Arguments.of("just created: no status yet", deployment(2, 1, null, 0, null), true, false, true),
                Arguments.of("available and current", deployment(2, 1, 1L, 2, "True"), true, true, false),
                Arguments.of("available, a new ReplicaSet rolling out", deployment(2, 2, 2L, 1, "True"), true, true, true),
                Arguments.of("controller behind the spec", deployment(2, 3, 2L, 2, "True"), true, true, true),
                Arguments.of("not available (MinimumReplicasUnavailable)", deployment(2, 1, 1L, 2, "False"),
                        true, false, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployments")
    void deployment(String why, Deployment d, boolean found, boolean available, boolean rollingOut) {
        WorkloadState s = WorkloadStates.deployment(Component.DNS_SERVICE, d);
        assertThat(s.found()).as(why).isEqualTo(found);
        assertThat(s.available()).as(why).isEqualTo(available);
        assertThat(s.rollingOut()).as(why).isEqualTo(rollingOut);
    }

    static Stream<Arguments> daemonSets() {
        return Stream.of(
                Arguments.of("not found", null, false, false, false),
                Arguments.of("no status yet", daemonSet(1, null, null, null, null), true, false, true),
                Arguments.of("no node to run on", daemonSet(1, 1L, 0, 0, 0), true, false, false),
                Arguments.of("every Pod updated and available", daemonSet(1, 1L, 3, 3, 3), true, true, false),
                Arguments.of("one Pod not available", daemonSet(1, 1L, 3, 2, 3), true, false, false),
                Arguments.of("rolling out: one Pod old", daemonSet(2, 2L, 3, 3, 2), true, false, true),
                Arguments.of("controller behind the spec", daemonSet(3, 2L, 3, 3, 3), true, true, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("daemonSets")
    void daemonSet(String why, DaemonSet ds, boolean found, boolean available, boolean rollingOut) {
        WorkloadState s = WorkloadStates.daemonSet(Component.NODE_PROXY, ds);
        assertThat(s.found()).as(why).isEqualTo(found);
        assertThat(s.available()).as(why).isEqualTo(available);
        assertThat(s.rollingOut()).as(why).isEqualTo(rollingOut);
    }

    /** A Deployment whose controller saw {@code observed}, with {@code updated} updated replicas. */
    static Deployment deployment(int replicas, long generation, Long observed, int updated, String available) {
        var b = new DeploymentBuilder().withNewMetadata().withName("dns-service").withGeneration(generation)
                .endMetadata().withNewSpec().withReplicas(replicas).endSpec();
        if (observed == null) {
            return b.build();
        }
        var status = b.withNewStatus().withObservedGeneration(observed).withUpdatedReplicas(updated);
        if (available != null) {
            status.addNewCondition().withType("Available").withStatus(available)
                    .withReason("True".equals(available) ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable")
                    .withMessage("Deployment has " + ("True".equals(available) ? "" : "not ") + "minimum availability.")
                    .endCondition();
        }
        return status.endStatus().build();
    }

    static DaemonSet daemonSet(long generation, Long observed, Integer desired, Integer available, Integer updated) {
        var b = new DaemonSetBuilder().withNewMetadata().withName("node-proxy").withGeneration(generation).endMetadata();
        if (observed == null) {
            return b.build();
        }
        return b.withNewStatus().withObservedGeneration(observed).withDesiredNumberScheduled(desired)
                .withNumberAvailable(available).withUpdatedNumberScheduled(updated).endStatus().build();
    }
}
