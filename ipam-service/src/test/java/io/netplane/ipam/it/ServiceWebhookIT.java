package io.netplane.ipam.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.netplane.api.events.ObjectRef;
import io.netplane.ipam.authority.AddressAuthority;
import io.netplane.ipam.crd.Allocation;
import io.netplane.ipam.records.AllocationNames;
import io.netplane.ipam.records.AllocationRecord;
import io.netplane.testing.kube.KubeApiServerTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The mutating admission webhook registered in a real kube-apiserver: allocation, field-error denials, release on
 * type change and delete, and failurePolicy Ignore with adoption by the repair loop when ipam-service is unreachable.
 */
@QuarkusTest
@TestProfile(KubernetesProfile.class)
@QuarkusTestResource(value = KubeApiServerTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = WebhookTls.class, restrictToAnnotatedClass = true)
class ServiceWebhookIT {
    static final String NS = "webhook-it";
    static final String WEBHOOK = "services.ipam.netplane.io";

    @Inject
    KubernetesClient client;
    @Inject
    AddressAuthority authority;

    @BeforeEach
    void register() throws Exception {
        if (client.namespaces().withName(NS).get() == null) {
            client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        }
        registerWebhook(WebhookTls.port);
    }

    void registerWebhook(int port) throws Exception {
        MutatingWebhookConfiguration cfg = new MutatingWebhookConfigurationBuilder()
                .withNewMetadata().withName("ipam-service").endMetadata()
                .addNewWebhook().withName(WEBHOOK)
                .withNewClientConfig().withUrl("https://127.0.0.1:" + port + "/webhooks/services")
                .withCaBundle(WebhookTls.caBundle()).endClientConfig()
                .addNewRule().withApiGroups("").withApiVersions("v1").withResources("services")
                .withOperations("CREATE", "UPDATE").withScope("Namespaced").endRule()
                .withFailurePolicy("Ignore").withSideEffects("NoneOnDryRun").withTimeoutSeconds(5)
                .withAdmissionReviewVersions("v1").withReinvocationPolicy("Never")
                .endWebhook().build();
        client.resource(cfg).forceConflicts().serverSideApply();
        // webhook configurations reach the admission plugin asynchronously
        Thread.sleep(1500);
        if (port == WebhookTls.port) {
            awaitWebhookCalled();
        }
    }

    /**
     * Until the API server calls this webhook (a slow API server takes longer than the sleep above): a dual-stack
     * Service on this single-stack cluster is refused either way, so nothing is created, but only the webhook's
     * refusal says "denied the request".
     */
    void awaitWebhookCalled() {
        Service probe = service("probe", "ClusterIP", null);
        probe.getSpec().setIpFamilyPolicy("RequireDualStack");
        await("webhook called").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            try {
                client.resource(probe).create();
                client.resource(probe).delete();
                return false;
            } catch (KubernetesClientException e) {
                return e.getCode() == 422 && e.getMessage().contains("denied the request");
            }
        });
    }

    static Service service(String name, String type, String clusterIP) {
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withType(type).withClusterIP(clusterIP).addToSelector("app", name)
                .addNewPort().withName("http").withPort(80).endPort().endSpec().build();
    }

    Optional<AllocationRecord> record(String name) {
        return authority.store().get(name);
    }

    @Test
    void createdServicesGetTheirAddressesAndPortsFromTheWebhook() {
        Service created = client.resource(service("web", "NodePort", null)).create();
        String ip = created.getSpec().getClusterIP();
        int nodePort = created.getSpec().getPorts().get(0).getNodePort();
        assertThat(nodePort).as("from ipam-service's 30000-30099, not the API server's range").isBetween(30000, 30099);
        assertThat(created.getSpec().getIpFamilies()).containsExactly("IPv4");
        assertThat(created.getSpec().getIpFamilyPolicy()).isEqualTo("SingleStack");
        Allocation rec = client.resources(Allocation.class).withName(AllocationNames.address(
                io.netplane.api.net.IpAddress.parse(ip))).get();
        assertThat(rec).as("record created at admission").isNotNull();
        assertThat(rec.getSpec().owner.name).isEqualTo("web");
        assertThat(rec.getSpec().owner.namespace).isEqualTo(NS);
        assertThat(client.resources(Allocation.class).withName(AllocationNames.nodePort(nodePort)).get()).isNotNull();

        // type change NodePort -> ClusterIP releases the node port (after the write, through the watch)
        client.services().inNamespace(NS).withName("web").edit(s -> {
            s.getSpec().setType("ClusterIP");
            s.getSpec().getPorts().get(0).setNodePort(null);
            return s;
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> record(AllocationNames.nodePort(nodePort)).isEmpty());
        assertThat(record(AllocationNames.address(io.netplane.api.net.IpAddress.parse(ip)))).isPresent();

        client.services().inNamespace(NS).withName("web").delete();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> record(AllocationNames.address(io.netplane.api.net.IpAddress.parse(ip))).isEmpty());
    }

    @Test
    void requestedAddressHeldOutsideKubernetesIsDeniedWithItsFieldPath() {
        AllocationRecord held = authority.allocateExternal("firewall-vip", "service-IPv4", "10.96.200.7");
        try {
            assertThatThrownBy(() -> client.resource(service("clash", "ClusterIP", "10.96.200.7")).create())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                        assertThat(e.getCode()).isEqualTo(422);
                        assertThat(e.getMessage()).contains("denied the request")
                                .contains("spec.clusterIPs")
                                .contains("provided IP is already allocated");
                    });
            assertThat(client.services().inNamespace(NS).withName("clash").get()).isNull();
        } finally {
            authority.releaseExternal("firewall-vip");
        }
        assertThat(held.owner()).isEqualTo(new ObjectRef("External", null, "firewall-vip", null));
    }

    @Test
    void localTrafficLoadBalancerWithoutNodePortsGetsOnlyAHealthCheckPort() {
        Service s = service("local-lb", "LoadBalancer", null);
        s.getSpec().setExternalTrafficPolicy("Local");
        s.getSpec().setAllocateLoadBalancerNodePorts(false);
        s.getSpec().setLoadBalancerClass("example.com/not-netplane");
        Service created = client.resource(s).create();
        try {
            assertThat(created.getSpec().getPorts().get(0).getNodePort()).isNull();
            assertThat(created.getSpec().getHealthCheckNodePort()).as("from ipam-service's range").isBetween(30000, 30099);
            assertThat(record(AllocationNames.nodePort(created.getSpec().getHealthCheckNodePort()))).isPresent();
        } finally {
            client.resource(created).delete();
        }
    }

    @Test
    void dualStackOnASingleStackClusterIsDeniedByTheWebhook() {
        Service s = service("dual", "ClusterIP", null);
        s.getSpec().setIpFamilyPolicy("RequireDualStack");
        assertThatThrownBy(() -> client.resource(s).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getMessage()).contains("denied the request")
                            .contains("spec.ipFamilyPolicy")
                            .contains("this cluster is not configured for dual-stack services");
                });
    }

    @Test
    void whenIpamServiceIsUnreachableTheApiServerAllocatesAndTheRepairLoopAdopts() throws Exception {
        int dead;
        try (var socket = new java.net.ServerSocket(0)) {
            dead = socket.getLocalPort();
        }
        registerWebhook(dead);
        try {
            Service created = client.resource(service("offline", "ClusterIP", null)).create();
            String ip = created.getSpec().getClusterIP();
            assertThat(ip).startsWith("10.96.");
            String name = AllocationNames.address(io.netplane.api.net.IpAddress.parse(ip));
            await().atMost(Duration.ofSeconds(30)).until(() -> record(name).isPresent());
            assertThat(record(name).get().owner().name()).isEqualTo("offline");
        } finally {
            registerWebhook(WebhookTls.port);
            client.services().inNamespace(NS).withName("offline").delete();
        }
    }
}
