package io.netplane.endpoints.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netplane.api.events.NodeView;
import io.netplane.api.events.PodView;
import io.netplane.api.events.ServiceView;
import io.netplane.api.events.Topics;
import io.netplane.endpoints.stream.StreamsBootstrap;
import io.netplane.testing.kafka.SharedKafka;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The services, pods and nodes streams against the real Kafka broker and the fabric8 mock API server (CRUD mode):
 * create → value on the topic, delete → tombstone, and tombstones on start for keys deleted while the operator was down.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(value = StaleKeysResource.class, restrictToAnnotatedClass = true)
class StreamsIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static TopicRecorder recorder;

    @Inject
    KubernetesClient client;
    @Inject
    StreamsBootstrap bootstrap;

    @BeforeAll
    static void record() {
        recorder = new TopicRecorder(SharedKafka.bootstrapServers(),
                List.of(Topics.SERVICES, Topics.PODS, Topics.NODES, Topics.ENDPOINT_SLICES));
    }

    @AfterAll
    static void stopRecording() {
        if (recorder != null) {
            recorder.close();
        }
    }

    private void namespace(String name) {
        if (client.namespaces().withName(name).get() == null) {
            client.resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        }
    }

    @Test
    void keysDeletedWhileDownAreTombstonedOnStart() {
        await().atMost(WAIT).until(bootstrap::isReady);
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            assertThat(recorder.isTombstoned(Topics.SERVICES, StaleKeysResource.STALE_SERVICE)).isTrue();
            assertThat(recorder.isTombstoned(Topics.PODS, StaleKeysResource.STALE_POD)).isTrue();
            assertThat(recorder.isTombstoned(Topics.NODES, StaleKeysResource.STALE_NODE)).isTrue();
        });
    }

    @Test
    void serviceCreateIsPublishedAndDeleteIsTombstoned() {
        namespace("streams");
        client.resource(new ServiceBuilder()
                .withNewMetadata().withNamespace("streams").withName("web").endMetadata()
                .withNewSpec().withClusterIP("10.96.1.1").withClusterIPs("10.96.1.1").withIpFamilies("IPv4")
                .withSelector(Map.of("app", "web"))
                .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString("http")).endPort()
                .endSpec().build()).create();

        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            ServiceView v = recorder.value(Topics.SERVICES, "streams/web").orElseThrow();
            assertThat(v.clusterIPs()).containsExactly("10.96.1.1");
            assertThat(v.selector()).isEqualTo(Map.of("app", "web"));
            assertThat(v.ports()).singleElement().satisfies(p -> {
                assertThat(p.port()).isEqualTo(80);
                assertThat(p.targetPort()).isEqualTo("http");
                assertThat(p.protocol()).isEqualTo("TCP");
            });
            assertThat(v.resourceVersion()).isNotBlank();
        });

        client.services().inNamespace("streams").withName("web").delete();
        await().atMost(WAIT).until(() -> recorder.isTombstoned(Topics.SERVICES, "streams/web"));
    }

    @Test
    void podAndNodeArePublishedAndUnchangedUpdatesAreNot() {
        namespace("streams");
        client.resource(new NodeBuilder().withNewMetadata().withName("node-a")
                .withLabels(Map.of("topology.kubernetes.io/zone", "zone-a")).endMetadata()
                .withNewStatus().withAllocatable(Map.of("cpu", new Quantity("1500m"))).endStatus().build()).create();
        client.resource(new PodBuilder().withNewMetadata().withNamespace("streams").withName("web-0")
                .withLabels(Map.of("app", "web")).endMetadata()
                .withNewSpec().withNodeName("node-a").addNewContainer().withName("c").withImage("i")
                .addNewPort().withName("http").withContainerPort(8080).endPort().endContainer().endSpec()
                .withNewStatus().withPhase("Running").addNewPodIP("10.244.0.5").withPodIP("10.244.0.5")
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build()).create();

        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            NodeView n = recorder.value(Topics.NODES, "node-a").orElseThrow();
            assertThat(n.zone()).isEqualTo("zone-a");
            assertThat(n.allocatableCpuMillis()).isEqualTo(1500);
            PodView p = recorder.value(Topics.PODS, "streams/web-0").orElseThrow();
            assertThat(p.podIPs()).containsExactly("10.244.0.5");
            assertThat(p.ready()).isTrue();
            assertThat(p.containerPorts()).singleElement().satisfies(c -> assertThat(c.name()).isEqualTo("http"));
        });

        // An annotation change is invisible in the view: nothing new is published for it.
        client.pods().inNamespace("streams").withName("web-0")
                .edit(p -> new PodBuilder(p).editMetadata().addToAnnotations("noise", "1").endMetadata().build());
        client.pods().inNamespace("streams").withName("web-0")
                .edit(p -> new PodBuilder(p).editMetadata().addToLabels("tier", "front").endMetadata().build());
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(
                recorder.value(Topics.PODS, "streams/web-0").orElseThrow().labels()).containsEntry("tier", "front"));
        assertThat(recorder.history(Topics.PODS, "streams/web-0")).hasSize(2);

        client.pods().inNamespace("streams").withName("web-0").delete();
        client.nodes().withName("node-a").delete();
        await().atMost(WAIT).until(() -> recorder.isTombstoned(Topics.PODS, "streams/web-0")
                && recorder.isTombstoned(Topics.NODES, "node-a"));
    }
}
