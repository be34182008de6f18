package io.netplane.endpoints.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netplane.api.events.Topics;
import io.netplane.endpoints.reconciler.SliceController;
import io.netplane.endpoints.stream.StreamsBootstrap;
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
 * A replica that loses the Lease stops writing slices and publishing, is a candidate again, and once the other
 * holder's lease has run out leads again and catches up: what changed meanwhile is written and published.
 */
@QuarkusTest
@TestProfile(LeaderHandoverIT.ShortLease.class)
@QuarkusTestResource(value = KubeApiServerTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
class LeaderHandoverIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String NS = "handover";

    @Inject
    KubernetesClient client;
    @Inject
    StreamsBootstrap bootstrap;
    @Inject
    SliceController controller;

    public static class ShortLease implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("netplane.endpoints.leader-election.lease-name", "endpoints-handover-it",
                    "netplane.endpoints.leader-election.lease-duration", "3s",
                    "netplane.endpoints.leader-election.renew-deadline", "2s",
                    "netplane.endpoints.leader-election.retry-period", "500ms");
        }
    }

    private void service(String name) {
        client.resource(new ServiceBuilder().withNewMetadata().withNamespace(NS).withName(name).endMetadata()
                .withNewSpec().withSelector(Map.of("app", "web"))
                .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString("http")).endPort()
                .endSpec().build()).create();
    }

    private int slices(String service) {
        return client.discovery().v1().endpointSlices().inNamespace(NS)
                .withLabel("kubernetes.io/service-name", service).list().getItems().size();
    }

    private void readyPod() {
        var node = client.resource(new NodeBuilder().withNewMetadata().withName("handover-node")
                .withLabels(Map.of("topology.kubernetes.io/zone", "zone-a")).endMetadata().build()).create();
        node.setStatus(new NodeStatusBuilder().withAllocatable(Map.of("cpu", new Quantity("4")))
                .addNewCondition().withType("Ready").withStatus("True").endCondition().build());
        client.resource(node).updateStatus();
        Pod pod = client.resource(new PodBuilder().withNewMetadata().withNamespace(NS).withName("web-0")
                .withLabels(Map.of("app", "web")).endMetadata()
                .withNewSpec().withNodeName("handover-node").addNewContainer().withName("c")
                .withImage("registry.invalid/c").addNewPort().withName("http").withContainerPort(8080).endPort()
                .endContainer().endSpec().build()).create();
        pod.setStatus(new PodStatusBuilder().withPhase("Running").withPodIP("10.244.9.1").addNewPodIP("10.244.9.1")
                .addNewCondition().withType("Ready").withStatus("True").endCondition().build());
        client.resource(pod).updateStatus();
    }

    @Test
    void aReplicaThatLosesTheLeaseStopsWritingAndTakesOverAgain() {
        LeaderGate gate = bootstrap.gate().orElseThrow();
        await().atMost(WAIT).until(() -> gate.isLeader() && bootstrap.isReady());
        try (var recorder = new TopicRecorder(SharedKafka.bootstrapServers(), List.of(Topics.SERVICES))) {
            client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
            readyPod();
            service("before");
            await().atMost(WAIT).until(() -> slices("before") == 1
                    && recorder.value(Topics.SERVICES, NS + "/before").isPresent());

            // another replica takes the Lease, renews it for 6 s and then stops
            LeaderGate.Settings lease = gate.settings();
            Leases.holdFor(client, lease.namespace(), lease.leaseName(), "other-replica", Duration.ofSeconds(6));
            await().atMost(Duration.ofSeconds(5)).until(bootstrap::isStandby);
            long writes = controller.apiWrites();
            service("during");
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                    .until(() -> slices("during") == 0 && recorder.last(Topics.SERVICES, NS + "/during").isEmpty());
            assertThat(controller.apiWrites()).isEqualTo(writes);

            // leading again: the Service created meanwhile gets its slice and its view on the topic
            await().atMost(Duration.ofSeconds(20)).until(gate::isLeader);
            await().atMost(WAIT).until(() -> slices("during") == 1
                    && recorder.value(Topics.SERVICES, NS + "/during").isPresent());
            await().atMost(WAIT).until(bootstrap::isReady);
            assertThat(slices("before")).isEqualTo(1);
        }
    }
}
