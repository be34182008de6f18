package io.netplane.endpoints.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netplane.api.events.ServiceView;
import io.netplane.api.events.Topics;
import io.netplane.endpoints.stream.StreamsBootstrap;
import io.netplane.testing.kafka.KafkaTestResource;
import io.netplane.testing.kafka.SharedKafka;
import io.netplane.testing.kube.KubeApiServerTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator in {@code manage} mode against a real kube-apiserver and etcd (no controller-manager: no built-in
 * EndpointSlice controller, no garbage collector) and the real Kafka broker: Services get ClusterIPs and defaulted
 * families from the API server, Pod and Node status go through their status subresources, slices get generated names
 * and real resource versions.
 */
@QuarkusTest
@QuarkusTestResource(value = KubeApiServerTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
class RealApiServerIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String NS = "real";
    private static TopicRecorder recorder;

    @Inject
    KubernetesClient client;
    @Inject
    StreamsBootstrap bootstrap;
    @Inject
    io.netplane.endpoints.kube.LeaderGate leader;

    @BeforeAll
    static void record() {
        recorder = new TopicRecorder(SharedKafka.bootstrapServers(), List.of(Topics.SERVICES, Topics.ENDPOINT_SLICES));
    }

    @AfterAll
    static void stopRecording() {
        if (recorder != null) {
            recorder.close();
        }
    }

    private void node(String name, String zone) {
        Node created = client.resource(new NodeBuilder().withNewMetadata().withName(name)
                .withLabels(Map.of("topology.kubernetes.io/zone", zone)).endMetadata().build()).create();
        created.setStatus(new io.fabric8.kubernetes.api.model.NodeStatusBuilder()
                .withAllocatable(Map.of("cpu", new Quantity("4")))
                .addNewCondition().withType("Ready").withStatus("True").endCondition().build());
        client.resource(created).updateStatus();
    }

    private void pod(String name, String ip, String nodeName, boolean ready) {
        Pod created = client.resource(new PodBuilder().withNewMetadata().withNamespace(NS).withName(name)
                .withLabels(Map.of("app", "web")).endMetadata()
                .withNewSpec().withNodeName(nodeName).addNewContainer().withName("c").withImage("registry.invalid/c")
                .addNewPort().withName("http").withContainerPort(8080).endPort().endContainer().endSpec().build())
                .create();
        setStatus(created, ip, ready);
    }

    private void setStatus(Pod pod, String ip, boolean ready) {
        pod.setStatus(new PodStatusBuilder().withPhase("Running").withPodIP(ip).addNewPodIP(ip)
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition().build());
        client.resource(pod).updateStatus();
    }

    private List<EndpointSlice> slices() {
        return client.discovery().v1().endpointSlices().inNamespace(NS)
                .withLabel("kubernetes.io/service-name", "web").list().getItems();
    }

    @Test
    void managesSlicesAgainstARealApiServer() {
        await().atMost(WAIT).until(bootstrap::isReady);
        // it leads through a Lease before doing anything
        assertThat(client.leases().inNamespace("default").withName("netplane-endpoints-operator").get().getSpec()
                .getHolderIdentity()).isEqualTo(leader.identity());
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        node("real-a", "zone-a");
        node("real-b", "zone-b");
        client.resource(new ServiceBuilder().withNewMetadata().withNamespace(NS).withName("web").endMetadata()
                .withNewSpec().withSelector(Map.of("app", "web"))
                .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString("http")).endPort()
                .endSpec().build()).create();
        pod("web-0", "10.244.1.1", "real-a", true);
        pod("web-1", "10.244.2.1", "real-b", true);

        // the Service view carries what the API server allocated
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            ServiceView v = recorder.value(Topics.SERVICES, NS + "/web").orElseThrow();
            assertThat(v.clusterIPs()).singleElement().satisfies(ip -> assertThat(ip).startsWith("10.96."));
            assertThat(v.ipFamilies()).containsExactly("IPv4");
        });
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(slices()).singleElement().satisfies(s -> {
            assertThat(s.getMetadata().getName()).startsWith("web-");
            assertThat(s.getEndpoints()).extracting(e -> e.getAddresses().get(0) + "@" + e.getZone())
                    .containsExactlyInAnyOrder("10.244.1.1@zone-a", "10.244.2.1@zone-b");
        }));
        String name = slices().get(0).getMetadata().getName();
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(recorder.value(Topics.ENDPOINT_SLICES, NS + "/" + name))
                .hasValueSatisfying(v -> assertThat(v.endpoints()).hasSize(2)));

        // readiness change through the status subresource: the same slice is updated
        setStatus(client.pods().inNamespace(NS).withName("web-1").get(), "10.244.2.1", false);
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(recorder.value(Topics.ENDPOINT_SLICES, NS + "/" + name))
                .hasValueSatisfying(v -> assertThat(v.endpoints()).anySatisfy(e -> {
                    assertThat(e.targetRef().name()).isEqualTo("web-1");
                    assertThat(e.ready()).isFalse();
                })));
        assertThat(slices()).extracting(s -> s.getMetadata().getName()).containsExactly(name);
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(client.endpoints().inNamespace(NS).withName("web").get())
                .satisfies(e -> assertThat(e.getSubsets().get(0).getNotReadyAddresses()).hasSize(1)));

        // the Service gone: no garbage collector runs here, the operator removes its slices; Kafka gets tombstones
        client.services().inNamespace(NS).withName("web").delete();
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(slices()).isEmpty());
        await().atMost(WAIT).until(() -> recorder.isTombstoned(Topics.ENDPOINT_SLICES, NS + "/" + name)
                && recorder.isTombstoned(Topics.SERVICES, NS + "/web"));
    }

    @Test
    void badInputIsReportedAndMirroringWorksAgainstARealApiServer() {
        await().atMost(WAIT).until(bootstrap::isReady);
        String ns = "real-bad";
        client.resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        client.resource(new ServiceBuilder().withNewMetadata().withNamespace(ns).withName("api").endMetadata()
                .withNewSpec().withSelector(Map.of("app", "api"))
                .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString("http")).endPort()
                .addNewPort().withName("grpc").withPort(9000).withTargetPort(new IntOrString("grpc")).endPort()
                .endSpec().build()).create();
        Pod created = client.resource(new PodBuilder().withNewMetadata().withNamespace(ns).withName("api-0")
                .withLabels(Map.of("app", "api")).endMetadata()
                .withNewSpec().withNodeName("nowhere").addNewContainer().withName("c").withImage("registry.invalid/c")
                .addNewPort().withName("http").withContainerPort(8080).endPort().endContainer().endSpec().build())
                .create();
        created.setStatus(new PodStatusBuilder().withPhase("Running").withPodIP("10.244.9.1").addNewPodIP("10.244.9.1")
                .addNewCondition().withType("Ready").withStatus("True").endCondition().build());
        client.resource(created).updateStatus();

        // the Pod's Node does not exist and its container has no "grpc" port: Events name both causes
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(
                client.v1().events().inNamespace(ns).list().getItems())
                .extracting(e -> e.getReason() + ":" + e.getInvolvedObject().getKind() + "/"
                        + e.getInvolvedObject().getName())
                .contains("NodeNotFound:Service/api", "PortNotFound:Service/api"));
        // the Service still has its placeholder slice, without the Pod
        assertThat(client.discovery().v1().endpointSlices().inNamespace(ns).withLabel("kubernetes.io/service-name", "api")
                .list().getItems()).singleElement().satisfies(sl -> assertThat(sl.getEndpoints()).isNullOrEmpty());

        // the Node appears: the endpoint is published (the retry picks it up), without the unresolvable port
        node("nowhere", "zone-c");
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(client.discovery().v1().endpointSlices()
                .inNamespace(ns).withLabel("kubernetes.io/service-name", "api").list().getItems()).singleElement()
                .satisfies(sl -> {
                    assertThat(sl.getEndpoints()).hasSize(1);
                    assertThat(sl.getPorts()).extracting(p -> p.getName()).containsExactly("http");
                }));

        // mirroring: a Service without selector and a user-made Endpoints object
        client.resource(new ServiceBuilder().withNewMetadata().withNamespace(ns).withName("legacy-db").endMetadata()
                .withNewSpec().addNewPort().withName("pg").withPort(5432).endPort().endSpec().build()).create();
        client.resource(new io.fabric8.kubernetes.api.model.EndpointsBuilder().withNewMetadata().withNamespace(ns)
                .withName("legacy-db").endMetadata().addNewSubset().addNewAddress().withIp("192.168.50.1").endAddress()
                .addNewPort().withName("pg").withPort(5432).endPort().endSubset().build()).create();
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(client.discovery().v1().endpointSlices()
                .inNamespace(ns).withLabel("kubernetes.io/service-name", "legacy-db").list().getItems()).singleElement()
                .satisfies(sl -> {
                    assertThat(sl.getMetadata().getLabels()).containsEntry("endpointslice.kubernetes.io/managed-by",
                            "endpointslicemirroring-controller.k8s.io");
                    assertThat(sl.getEndpoints()).singleElement()
                            .satisfies(e -> assertThat(e.getAddresses()).containsExactly("192.168.50.1"));
                }));
    }
}
