package io.netplane.endpoints.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netplane.api.events.EndpointSliceView;
import io.netplane.api.events.Topics;
import io.netplane.endpoints.stream.StreamsBootstrap;
import io.netplane.testing.kafka.KafkaTestResource;
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
 * The EndpointSlice controller in {@code manage} mode against the fabric8 mock API server (CRUD mode) and the real
 * Kafka broker: the slices written to the API and the EndpointSliceView events published for them.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
class SliceControllerIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String NS = "shop";
    private static TopicRecorder recorder;

    @Inject
    KubernetesClient client;
    @Inject
    StreamsBootstrap bootstrap;

    @BeforeAll
    static void record() {
        recorder = new TopicRecorder(SharedKafka.bootstrapServers(), List.of(Topics.ENDPOINT_SLICES));
    }

    @AfterAll
    static void stopRecording() {
        if (recorder != null) {
            recorder.close();
        }
    }

    private Pod pod(String name, String ip, String node, boolean ready) {
        return new PodBuilder().withNewMetadata().withNamespace(NS).withName(name).withUid("uid-" + name)
                .withLabels(Map.of("app", "web")).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("c").withImage("i")
                .addNewPort().withName("http").withContainerPort(8080).withProtocol("TCP").endPort()
                .endContainer().endSpec()
                .withNewStatus().withPhase("Running").addNewPodIP(ip).withPodIP(ip)
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                .endStatus().build();
    }

    private List<EndpointSlice> slicesOf(String service) {
        return client.discovery().v1().endpointSlices().inNamespace(NS)
                .withLabel("kubernetes.io/service-name", service).list().getItems();
    }

    private List<String> kafkaEndpointNames(String service) {
        return slicesOf(service).stream()
                .flatMap(s -> recorder.value(Topics.ENDPOINT_SLICES, NS + "/" + s.getMetadata().getName()).stream())
                .flatMap(v -> v.endpoints().stream()).map(e -> e.targetRef().name() + (e.ready() ? "" : "(not ready)"))
                .sorted().toList();
    }

    @Test
    void managesTheSlicesOfAServiceAndPublishesThem() {
        await().atMost(WAIT).until(bootstrap::isReady);
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).createOr(
                r -> r.update());
        for (String zone : List.of("a", "b")) {
            client.resource(new NodeBuilder().withNewMetadata().withName("node-" + zone)
                    .withLabels(Map.of("topology.kubernetes.io/zone", "zone-" + zone)).endMetadata()
                    .withNewStatus().withAllocatable(Map.of("cpu", new Quantity("2")))
                    .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build())
                    .create();
        }
        client.resource(new ServiceBuilder().withNewMetadata().withNamespace(NS).withName("web")
                .withLabels(Map.of("team", "shop")).endMetadata()
                .withNewSpec().withClusterIP("10.96.0.20").withClusterIPs("10.96.0.20").withIpFamilies("IPv4")
                .withSelector(Map.of("app", "web"))
                .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString("http")).endPort()
                .endSpec().build()).create();
        String serviceUid = client.services().inNamespace(NS).withName("web").get().getMetadata().getUid();
        client.resource(pod("web-0", "10.0.0.1", "node-a", true)).create();
        client.resource(pod("web-1", "10.0.0.2", "node-b", true)).create();
        client.resource(pod("web-2", "10.0.0.3", "node-a", true)).create();

        // the API gets one slice with the three endpoints, labelled and owned as upstream does it
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            List<EndpointSlice> slices = slicesOf("web");
            assertThat(slices).singleElement().satisfies(s -> {
                assertThat(s.getEndpoints()).hasSize(3);
                assertThat(s.getAddressType()).isEqualTo("IPv4");
                assertThat(s.getPorts()).singleElement().satisfies(p -> {
                    assertThat(p.getName()).isEqualTo("http");
                    assertThat(p.getPort()).isEqualTo(8080);
                });
                assertThat(s.getMetadata().getLabels()).containsEntry("team", "shop")
                        .containsEntry("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io");
                assertThat(s.getMetadata().getOwnerReferences()).singleElement()
                        .satisfies(o -> assertThat(o.getUid()).isEqualTo(serviceUid));
                assertThat(s.getMetadata().getName()).startsWith("web-");
            });
        });
        // ... and Kafka gets its view
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(kafkaEndpointNames("web"))
                .containsExactly("web-0", "web-1", "web-2"));
        EndpointSliceView view = recorder.value(Topics.ENDPOINT_SLICES,
                NS + "/" + slicesOf("web").get(0).getMetadata().getName()).orElseThrow();
        assertThat(view.managedBy()).isEqualTo("endpointslice-controller.k8s.io");
        assertThat(view.serviceName()).isEqualTo("web");
        assertThat(view.endpoints()).anySatisfy(e -> {
            assertThat(e.targetRef().name()).isEqualTo("web-1");
            assertThat(e.zone()).isEqualTo("zone-b");
            assertThat(e.nodeName()).isEqualTo("node-b");
        });

        // the legacy Endpoints object is kept too
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            var endpoints = client.endpoints().inNamespace(NS).withName("web").get();
            assertThat(endpoints).isNotNull();
            assertThat(endpoints.getSubsets()).singleElement().satisfies(sub -> {
                assertThat(sub.getAddresses()).extracting(a -> a.getIp())
                        .containsExactly("10.0.0.1", "10.0.0.2", "10.0.0.3");
                assertThat(sub.getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(8080));
            });
        });

        // a Pod turning not ready is an update of the same slice
        String sliceName = slicesOf("web").get(0).getMetadata().getName();
        client.resource(pod("web-2", "10.0.0.3", "node-a", false)).update();
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(kafkaEndpointNames("web"))
                .containsExactly("web-0", "web-1", "web-2(not ready)"));
        assertThat(slicesOf("web")).extracting(s -> s.getMetadata().getName()).containsExactly(sliceName);
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(client.endpoints().inNamespace(NS).withName("web").get()
                .getSubsets().get(0).getNotReadyAddresses()).extracting(a -> a.getIp()).containsExactly("10.0.0.3"));

        // bad input: a Pod on a Node that does not exist is left out, an Event says why, the rest is undisturbed
        client.resource(pod("web-3", "10.0.0.4", "ghost", true)).create();
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(client.v1().events().inNamespace(NS).list().getItems())
                .anySatisfy(e -> {
                    assertThat(e.getReason()).isEqualTo("NodeNotFound");
                    assertThat(e.getMessage()).contains("web-3", "ghost");
                    assertThat(e.getInvolvedObject().getName()).isEqualTo("web");
                }));
        assertThat(slicesOf("web").get(0).getEndpoints()).hasSize(3);

        // every Pod gone: the slice stays as the empty placeholder
        for (String p : List.of("web-0", "web-1", "web-2", "web-3")) {
            client.pods().inNamespace(NS).withName(p).delete();
        }
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(slicesOf("web")).singleElement()
                .satisfies(s -> assertThat(s.getEndpoints()).isNullOrEmpty()));
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(kafkaEndpointNames("web")).isEmpty());

        // the Service gone: its slices go (no garbage collector here), and Kafka gets the tombstone
        client.services().inNamespace(NS).withName("web").delete();
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(slicesOf("web")).isEmpty());
        await().atMost(WAIT).until(() -> client.endpoints().inNamespace(NS).withName("web").get() == null);
        await().atMost(WAIT).until(() -> recorder.isTombstoned(Topics.ENDPOINT_SLICES, NS + "/" + sliceName));
    }

    @Test
    void mirrorsTheUserEndpointsOfAServiceWithoutSelector() {
        await().atMost(WAIT).until(bootstrap::isReady);
        String ns = "ext";
        client.resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).createOr(
                r -> r.update());
        client.resource(new ServiceBuilder().withNewMetadata().withNamespace(ns).withName("db").endMetadata()
                .withNewSpec().withClusterIP("10.96.0.40").withIpFamilies("IPv4")
                .addNewPort().withName("pg").withPort(5432).endPort().endSpec().build()).create();
        client.resource(new io.fabric8.kubernetes.api.model.EndpointsBuilder().withNewMetadata().withNamespace(ns)
                .withName("db").endMetadata()
                .addNewSubset().addNewAddress().withIp("192.168.10.1").endAddress()
                .addNewAddress().withIp("192.168.10.2").endAddress()
                .addNewPort().withName("pg").withPort(5432).withProtocol("TCP").endPort().endSubset().build()).create();

        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            List<EndpointSlice> slices = client.discovery().v1().endpointSlices().inNamespace(ns)
                    .withLabel("kubernetes.io/service-name", "db").list().getItems();
            assertThat(slices).singleElement().satisfies(sl -> {
                assertThat(sl.getMetadata().getLabels())
                        .containsEntry("endpointslice.kubernetes.io/managed-by", "endpointslicemirroring-controller.k8s.io");
                assertThat(sl.getMetadata().getOwnerReferences()).singleElement()
                        .satisfies(o -> assertThat(o.getKind()).isEqualTo("Endpoints"));
                assertThat(sl.getEndpoints()).extracting(e -> e.getAddresses().get(0))
                        .containsExactlyInAnyOrder("192.168.10.1", "192.168.10.2");
                assertThat(recorder.value(Topics.ENDPOINT_SLICES, ns + "/" + sl.getMetadata().getName()))
                        .hasValueSatisfying(v -> assertThat(v.endpoints()).hasSize(2));
            });
        });
        // no legacy Endpoints rewrite and no controller slice for a Service without selector
        assertThat(client.endpoints().inNamespace(ns).withName("db").get().getMetadata().getLabels()).isNullOrEmpty();

        client.endpoints().inNamespace(ns).withName("db").delete();
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(client.discovery().v1().endpointSlices().inNamespace(ns)
                .withLabel("kubernetes.io/service-name", "db").list().getItems()).isEmpty());
    }
}
