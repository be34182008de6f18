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
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.ResourceQuotaStatusBuilder;
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
    io.micrometer.core.instrument.MeterRegistry meters;

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
        pod(NS, name, ip, nodeName, ready);
    }

    private void pod(String ns, String name, String ip, String nodeName, boolean ready) {
        pod(ns, name, ip, nodeName, ready, null);
    }

    private void pod(String ns, String name, String ip, String nodeName, boolean ready, String readySince) {
        Pod created = client.resource(new PodBuilder().withNewMetadata().withNamespace(ns).withName(name)
                .withLabels(Map.of("app", "web")).endMetadata()
                .withNewSpec().withNodeName(nodeName).addNewContainer().withName("c").withImage("registry.invalid/c")
                .addNewPort().withName("http").withContainerPort(8080).endPort().endContainer().endSpec().build())
                .create();
        setStatus(created, ip, ready, readySince);
    }

    private void setStatus(Pod pod, String ip, boolean ready) {
        setStatus(pod, ip, ready, null);
    }

    private void setStatus(Pod pod, String ip, boolean ready, String readySince) {
        pod.setStatus(new PodStatusBuilder().withPhase("Running").withPodIP(ip).addNewPodIP(ip)
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False")
                .withLastTransitionTime(readySince).endCondition().build());
        client.resource(pod).updateStatus();
    }

    private List<EndpointSlice> slices() {
        return slices(NS, "web");
    }

    private List<EndpointSlice> slices(String ns, String service) {
        return client.discovery().v1().endpointSlices().inNamespace(ns)
                .withLabel("kubernetes.io/service-name", service).list().getItems();
    }

    private ServiceBuilder selecting(String ns, String name) {
        return new ServiceBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewSpec().withSelector(Map.of("app", "web"))
                .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString("http")).endPort()
                .endSpec();
    }

    private double counter(String name) {
        var c = meters.find(name).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void writesWhatUpstreamsControllerWritesAgainstARealApiServer() {
        await().atMost(WAIT).until(bootstrap::isReady);
        String ns = "real-upstream";
        client.resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        node("upstream-a", "zone-a");
        client.resource(selecting(ns, "web").build()).create();
        pod(ns, "web-0", "10.244.5.1", "upstream-a", true, "2031-01-02T03:04:00Z");
        // another writer's slice for the same Service: never adopted, updated or deleted
        EndpointSlice foreign = client.resource(new io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder()
                .withNewMetadata().withNamespace(ns).withName("web-foreign")
                .withLabels(Map.of("kubernetes.io/service-name", "web",
                        "endpointslice.kubernetes.io/managed-by", "my-controller.example.com")).endMetadata()
                .withAddressType("IPv4").addNewEndpoint().withAddresses("192.0.2.9").endEndpoint().build()).create();

        // upstream's managed-by value, which upstream's [Conformance] EndpointSlice tests require
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(slices(ns, "web"))
                .filteredOn(sl -> !sl.getMetadata().getName().equals("web-foreign")).singleElement()
                .satisfies(sl -> {
                    assertThat(sl.getMetadata().getLabels()).containsEntry("endpointslice.kubernetes.io/managed-by",
                            "endpointslice-controller.k8s.io");
                    assertThat(sl.getEndpoints()).hasSize(1);
                    assertThat(sl.getMetadata().getAnnotations())
                            .containsKey("endpoints.kubernetes.io/last-change-trigger-time");
                }));

        // a readiness change: the slice's trigger time is the Ready condition's transition
        setStatus(client.pods().inNamespace(ns).withName("web-0").get(), "10.244.5.1", false, "2031-01-02T03:04:05Z");
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(slices(ns, "web"))
                .filteredOn(sl -> !sl.getMetadata().getName().equals("web-foreign")).singleElement()
                .satisfies(sl -> {
                    assertThat(sl.getEndpoints().get(0).getConditions().getReady()).isFalse();
                    assertThat(sl.getMetadata().getAnnotations()).containsEntry(
                            "endpoints.kubernetes.io/last-change-trigger-time", "2031-01-02T03:04:05Z");
                }));
        assertThat(client.discovery().v1().endpointSlices().inNamespace(ns).withName("web-foreign").get()
                .getMetadata().getResourceVersion()).isEqualTo(foreign.getMetadata().getResourceVersion());

        // ExternalName Services get no slices and no Endpoints, selector or not; one that turns ExternalName loses them
        client.resource(selecting(ns, "ext").editSpec().withType("ExternalName").withExternalName("db.example.com")
                .endSpec().build()).create();
        client.resource(selecting(ns, "turns").build()).create();
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            assertThat(slices(ns, "turns")).singleElement();
            assertThat(client.endpoints().inNamespace(ns).withName("turns").get()).isNotNull();
        });
        client.services().inNamespace(ns).withName("turns").edit(svc -> new ServiceBuilder(svc).editSpec()
                .withType("ExternalName").withExternalName("db.example.com").withClusterIP(null)
                .withClusterIPs((List<String>) null).withIpFamilies((List<String>) null).withIpFamilyPolicy(null)
                .endSpec().build());
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            assertThat(slices(ns, "turns")).isEmpty();
            assertThat(client.endpoints().inNamespace(ns).withName("turns").get()).isNull();
        });
        assertThat(slices(ns, "ext")).isEmpty();
        assertThat(client.endpoints().inNamespace(ns).withName("ext").get()).isNull();
    }

    @Test
    void dropsWritesIntoATerminatingNamespaceAgainstARealApiServer() {
        await().atMost(WAIT).until(bootstrap::isReady);
        String ns = "real-doomed";
        client.resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        node("doomed-a", "zone-a");
        client.resource(selecting(ns, "web").build()).create();
        pod(ns, "web-0", "10.244.6.1", "doomed-a", true);
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(slices(ns, "web")).singleElement());

        // no namespace controller runs here: the namespace stays Terminating and the API refuses every create in it
        client.namespaces().withName(ns).delete();
        await().atMost(WAIT).until(() -> client.namespaces().withName(ns).get().getMetadata()
                .getDeletionTimestamp() != null);
        double retries = counter("netplane.endpoints.reconcile.retries");
        double dropped = counter("netplane.endpoints.reconcile.dropped");
        client.discovery().v1().endpointSlices().inNamespace(ns).withName(slices(ns, "web").get(0).getMetadata()
                .getName()).delete();
        // the re-create is refused (NamespaceTerminating) and dropped, as upstream, not retried with backoff
        await().atMost(WAIT).until(() -> counter("netplane.endpoints.reconcile.dropped") > dropped);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> counter("netplane.endpoints.reconcile.retries") == retries);
        assertThat(slices(ns, "web")).isEmpty();
    }

    @Test
    void aWriteThatKeepsFailingIsAWarningOnTheServiceAgainstARealApiServer() {
        await().atMost(WAIT).until(bootstrap::isReady);
        String ns = "real-quota";
        client.resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        node("quota-a", "zone-a");
        // no EndpointSlice allowed in the namespace: the API server's ResourceQuota admission refuses every create
        // (403, exceeded quota); no controller-manager runs here, so the quota's usage is written as its controller would
        String counted = "count/endpointslices.discovery.k8s.io";
        ResourceQuota quota = client.resource(new ResourceQuotaBuilder().withNewMetadata().withNamespace(ns)
                .withName("no-slices").endMetadata().withNewSpec().addToHard(counted, new Quantity("0")).endSpec()
                .build()).create();
        quota.setStatus(new ResourceQuotaStatusBuilder().addToHard(counted, new Quantity("0"))
                .addToUsed(counted, new Quantity("0")).build());
        client.resource(quota).updateStatus();
        double retries = counter("netplane.endpoints.reconcile.retries");
        client.resource(selecting(ns, "web").build()).create();
        pod(ns, "web-0", "10.244.8.1", "quota-a", true);

        // from the third failed attempt on, upstream's Warning is on the Service, with the API's reason (each create
        // gets another generated name, which the message names, so each later attempt may add one)
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(
                client.v1().events().inNamespace(ns).list().getItems())
                .filteredOn(e -> "FailedToUpdateEndpointSlices".equals(e.getReason())).isNotEmpty()
                .allSatisfy(e -> {
                    assertThat(e.getType()).isEqualTo("Warning");
                    assertThat(e.getInvolvedObject().getKind()).isEqualTo("Service");
                    assertThat(e.getInvolvedObject().getName()).isEqualTo("web");
                    assertThat(e.getInvolvedObject().getUid()).isEqualTo(
                            client.services().inNamespace(ns).withName("web").get().getMetadata().getUid());
                    assertThat(e.getMessage()).contains("exceeded quota");
                    assertThat(e.getReportingComponent()).isEqualTo("endpoints-operator");
                }));
        assertThat(counter("netplane.endpoints.reconcile.retries")).isGreaterThanOrEqualTo(retries + 3);
        assertThat(slices(ns, "web")).isEmpty();

        // the quota lifted: the next retry writes the slice
        client.resource(quota).delete();
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(slices(ns, "web")).singleElement()
                .satisfies(sl -> assertThat(sl.getEndpoints()).hasSize(1)));
    }

    @Test
    void managesSlicesAgainstARealApiServer() {
        await().atMost(WAIT).until(bootstrap::isReady);
        // it leads through a Lease before doing anything
        assertThat(client.leases().inNamespace("default").withName("netplane-endpoints-operator").get().getSpec()
                .getHolderIdentity()).isEqualTo(bootstrap.gate().orElseThrow().identity());
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
