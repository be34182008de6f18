package io.netplane.policy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.netplane.api.events.Topics;
import io.netplane.policy.reconciler.PolicyWatcher;
import io.netplane.runtime.leader.LeaderGate;
import io.netplane.testing.kafka.KafkaTestResource;
import io.netplane.testing.kafka.SharedKafka;
import io.netplane.testing.kube.KubeApiServerTestResource;
import io.netplane.testing.kube.Leases;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A replica that loses the Lease keeps compiling but stops publishing, is a candidate again, and once the other
 * holder's lease has run out leads again and publishes what changed meanwhile.
 */
@QuarkusTest
@TestProfile(LeaderHandoverIT.ShortLease.class)
@QuarkusTestResource(value = ForgetMockServer.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = KubeApiServerTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
class LeaderHandoverIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String NS = "handover";

    @Inject
    KubernetesClient client;
    @Inject
    PolicyWatcher watcher;

    public static class ShortLease implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("netplane.policy.batch-delay", "PT0.01S",
                    "netplane.policy.leader-election.lease-name", "policy-handover-it",
                    "netplane.policy.leader-election.lease-duration", "3s",
                    "netplane.policy.leader-election.renew-deadline", "2s",
                    "netplane.policy.leader-election.retry-period", "500ms");
        }
    }

    private void denyAll(String name) {
        client.resource(Serialization.unmarshal("""
                metadata: {name: %s, namespace: %s}
                spec: {podSelector: {}, policyTypes: [Ingress]}
                """.formatted(name, NS), NetworkPolicy.class)).create();
    }

    @Test
    void aReplicaThatLosesTheLeaseStopsPublishingAndTakesOverAgain() {
        LeaderGate gate = watcher.gate().orElseThrow();
        await().atMost(WAIT).until(() -> gate.isLeader() && watcher.isReady());
        try (var recorder = new TopicRecorder(SharedKafka.bootstrapServers(), List.of(Topics.POLICIES))) {
            client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
            denyAll("before");
            await().atMost(WAIT).until(() -> recorder.get(Topics.POLICIES, NS + "/before") != null);

            // another replica takes the Lease, renews it for 6 s and then stops
            LeaderGate.Settings lease = gate.settings();
            Leases.holdFor(client, lease.namespace(), lease.leaseName(), "other-replica", Duration.ofSeconds(6));
            await().atMost(Duration.ofSeconds(5)).until(() -> !gate.isLeader());
            assertThat(watcher.isReady()).as("a standby that sees a leader is ready").isTrue();
            denyAll("during");
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                    .until(() -> recorder.get(Topics.POLICIES, NS + "/during") == null);

            // leading again: the policy created meanwhile is published
            await().atMost(Duration.ofSeconds(20)).until(gate::isLeader);
            await().atMost(WAIT).until(() -> recorder.get(Topics.POLICIES, NS + "/during") != null);
            await().atMost(WAIT).until(watcher::isReady);
        }
    }
}
