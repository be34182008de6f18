package io.netplane.endpoints.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netplane.api.events.EndpointSliceView;
import io.netplane.api.events.Topics;
import io.netplane.endpoints.stream.StreamsBootstrap;
import io.netplane.testing.kafka.KafkaTestResource;
import io.netplane.testing.kafka.SharedKafka;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code observe} mode: nothing is written to the API; the slices the cluster's own controller writes are published. */
@QuarkusTest
@TestProfile(ObserveModeIT.Observe.class)
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
class ObserveModeIT {
    public static class Observe implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("netplane.endpoints.mode", "observe");
        }
    }

    private static final String NS = "observed";

    @Inject
    KubernetesClient client;
    @Inject
    StreamsBootstrap bootstrap;

    @Test
    void writesNothingAndPublishesTheClustersSlices() {
        await().atMost(Duration.ofSeconds(30)).until(bootstrap::isReady);
        try (TopicRecorder recorder = new TopicRecorder(SharedKafka.bootstrapServers(),
                List.of(Topics.ENDPOINT_SLICES))) {
            client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
            client.resource(new ServiceBuilder().withNewMetadata().withNamespace(NS).withName("api").endMetadata()
                    .withNewSpec().withClusterIP("10.96.0.30").withIpFamilies("IPv4").withSelector(Map.of("app", "api"))
                    .addNewPort().withPort(80).endPort().endSpec().build()).create();
            client.resource(new PodBuilder().withNewMetadata().withNamespace(NS).withName("api-0")
                    .withLabels(Map.of("app", "api")).endMetadata().withNewSpec().withNodeName("n").endSpec()
                    .withNewStatus().withPhase("Running").addNewPodIP("10.1.0.1").endStatus().build()).create();

            // the cluster's controller writes a slice; we only publish it
            client.resource(new EndpointSliceBuilder().withNewMetadata().withNamespace(NS).withName("api-abcde")
                    .withLabels(Map.of("kubernetes.io/service-name", "api",
                            "endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io"))
                    .endMetadata().withAddressType("IPv4")
                    .addNewPort().withName("").withPort(80).withProtocol("TCP").endPort()
                    .addNewEndpoint().withAddresses("10.1.0.1").withNewConditions().withReady(true).endConditions()
                    .endEndpoint().build()).create();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
                EndpointSliceView v = recorder.value(Topics.ENDPOINT_SLICES, NS + "/api-abcde").orElseThrow();
                assertThat(v.managedBy()).isEqualTo("endpointslice-controller.k8s.io");
                assertThat(v.endpoints()).singleElement().satisfies(e -> assertThat(e.addresses())
                        .containsExactly("10.1.0.1"));
            });
            // and writes none of its own
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> client.discovery().v1()
                    .endpointSlices().inNamespace(NS).list().getItems().size() == 1);
        }
    }
}
