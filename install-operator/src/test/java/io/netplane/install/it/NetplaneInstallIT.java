package io.netplane.install.it;

import static io.netplane.install.it.Cluster.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.netplane.install.crd.Netplane;
import io.netplane.install.crd.NetplaneSpec;
import io.netplane.install.model.Component;
import io.netplane.testing.kube.KubeApiServerTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.netplane.testing.kube.SourceTree;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The install operator against a real kube-apiserver and etcd, with k8s/crds applied (no kubelet and no controller
 * manager: the test writes the workload status their controllers would). One Netplane "default" lives through the
 * ordered steps: it is installed, its components become available, a change is applied, an invalid spec changes
 * nothing.
 */
@QuarkusTest
@TestProfile(NetplaneInstallIT.RealApi.class)
@QuarkusTestResource(value = KubeApiServerTestResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = KubeApiServerTestResource.NAMESPACE_ARG, value = NS))
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetplaneInstallIT {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String PROXY_IMAGE = "registry.example/netplane/node-proxy@sha256:0123";

    /**
     * A profile of its own: quarkus-kubernetes-client settings are fixed at build time, so only a re-augmented
     * application picks up the real API server's address from the test resource.
     */
    public static class RealApi implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("netplane.install.node-proxy-image", PROXY_IMAGE);
        }
    }

    @Inject
    KubernetesClient client;

    Cluster cluster() {
        return new Cluster(client);
    }

    @Test
    @Order(1)
    void theApiServerRefusesANetplaneNotNamedDefault() {
        Netplane other = netplane(spec("10.96.0.10", "10.77.0.1:9092", "netplane", false));
        other.getMetadata().setName("other");
        assertThatThrownBy(() -> client.resource(other).create()).isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining("a Netplane must be named default");
    }

    @Test
    @Order(2)
    void installs() throws Exception {
        Cluster k = cluster();
        k.pod("dns-service-started-early", "dns-service");
        k.pod("install-operator-self", "install-operator");
        Netplane np = client.resource(netplane(spec("10.96.0.10", "10.77.0.1:9092", "netplane", false))).create();

        await().atMost(WAIT).untilAsserted(() -> {
            ConfigMap cm = client.configMaps().inNamespace(NS).withName("netplane-cluster").get();
            assertThat(cm).isNotNull();
            assertThat(cm.getData()).containsEntry("KAFKA_BOOTSTRAP_SERVERS", "10.77.0.1:9092")
                    .containsEntry("NETPLANE_SERVICE_CIDRS", "10.96.0.0/16")
                    .containsEntry("NETPLANE_POD_CIDRS", "10.244.0.0/16")
                    .containsEntry("NETPLANE_IP_FAMILIES", "IPv4")
                    .containsEntry("NETPLANE_DNS_ZONE", "cluster.local")
                    .containsEntry("NETPLANE_DNS_ADDRESSES", "10.96.0.10")
                    .containsEntry("NETPLANE_INGRESS_CLASS", "netplane");
            DaemonSet ds = client.apps().daemonSets().inNamespace(NS).withName("node-proxy").get();
            assertThat(ds).isNotNull();
            assertThat(proxyEnv(ds)).containsEntry("NETPLANE_PROXY_SERVICE_CIDRS", "10.96.0.0/16")
                    .containsEntry("NETPLANE_PROXY_CLUSTER_CIDRS", "10.244.0.0/16")
                    .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "10.77.0.1:9092");
            assertThat(ds.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo(PROXY_IMAGE);
            Service dns = client.services().inNamespace(NS).withName("netplane-dns").get();
            assertThat(dns).isNotNull();
            assertThat(dns.getSpec().getClusterIPs()).containsExactly("10.96.0.10");
            assertThat(dns.getSpec().getIpFamilyPolicy()).isEqualTo("SingleStack");
            IngressClass ic = client.network().v1().ingressClasses().withName("netplane").get();
            assertThat(ic).isNotNull();
            assertThat(ic.getSpec().getController()).isEqualTo("netplane.io/ingress-controller");
            for (HasMetadata owned : List.of(cm, ds, dns, ic)) {
                assertThat(Cluster.ownedBy(owned, np)).as(owned.getKind() + " owned by the Netplane").isTrue();
            }
            Netplane now = k.netplane();
            assertThat(now.getStatus()).isNotNull();
            assertThat(now.getStatus().observedGeneration()).isEqualTo(1L);
            assertThat(now.getStatus().configHash()).isNotBlank();
            assertCondition("Ready", "False", "ComponentsNotAvailable");
            assertCondition("Progressing", "True", "ComponentsProgressing");
            assertCondition("EndpointsOperatorAvailable", "False", "DeploymentNotFound");
            assertCondition("NodeProxyAvailable", "False", "DaemonSetUnavailable");
            // no Secret ipam-service-tls yet, and not under OLM: the webhook waits for its certificate
            assertCondition("Degraded", "True", "WebhookCertificateMissing");
            assertCondition("KafkaTopics", "False", "StrimziNotInstalled");
            // the first install restarts the components that started before the ConfigMap existed, not itself
            assertThat(k.podGone("dns-service-started-early")).isTrue();
            assertThat(k.warnings("WebhookCertificateMissing")).isNotEmpty();
        });
        assertThat(k.podGone("install-operator-self")).isFalse();
        assertThat(client.admissionRegistration().v1().mutatingWebhookConfigurations().withName("ipam-service").get())
                .isNull();
        assertThat(client.leases().inNamespace(NS).withName("install-operator").get().getSpec().getHolderIdentity())
                .isNotBlank();
        // while not Ready it reconciles every second (in the tests): a reconcile that finds its objects as planned
        // writes nothing
        Map<String, String> settled = versions("netplane");
        Thread.sleep(3000);
        assertThat(versions("netplane")).isEqualTo(settled);
        assertThat(table()).containsEntry("Ready", "False").containsEntry("Progressing", "True")
                .containsEntry("Degraded", "True").hasEntrySatisfying("Service CIDRs",
                        v -> assertThat(v).contains("10.96.0.0/16")).containsKey("Age");
    }

    @Test
    @Order(3)
    void kafkaTopicsOnceStrimziIsInstalled() {
        cluster().installStrimziTopicCrd();
        await().atMost(WAIT).untilAsserted(() -> {
            assertCondition("KafkaTopics", "True", "TopicsManaged");
            List<GenericKubernetesResource> topics = client.genericKubernetesResources("kafka.strimzi.io/v1beta2",
                    "KafkaTopic").inNamespace(NS).list().getItems();
            assertThat(topics).hasSize(8).allSatisfy(t -> assertThat(Cluster.ownedBy(t, cluster().netplane())).isTrue());
        });
    }

    @Test
    @Order(4)
    void readyOnceEveryComponentIsAvailable() throws Exception {
        Cluster k = cluster();
        String ca = Base64.getEncoder().encodeToString("-----BEGIN CERTIFICATE-----\n".getBytes());
        client.resource(new SecretBuilder().withNewMetadata().withNamespace(NS).withName("ipam-service-tls")
                .endMetadata().addToData("ca.crt", ca).build()).create();
        Component.deployments().forEach(c -> k.availableDeployment(c.workload()));
        k.nodeProxyAvailable();
        await().atMost(WAIT).untilAsserted(() -> {
            for (Component c : Component.values()) {
                assertCondition(c.conditionType(), "True", c.kind() + "Available");
            }
            assertCondition("Ready", "True", "AllComponentsAvailable");
            assertCondition("Progressing", "False", "AllComponentsAvailable");
            assertCondition("Degraded", "False", "AsExpected");
            var webhook = client.admissionRegistration().v1().mutatingWebhookConfigurations().withName("ipam-service")
                    .get();
            assertThat(webhook).isNotNull();
            assertThat(webhook.getWebhooks().get(0).getClientConfig().getCaBundle()).isEqualTo(ca);
            assertThat(Cluster.ownedBy(webhook, k.netplane())).isTrue();
        });
        assertThat(table()).containsEntry("Ready", "True").containsEntry("Degraded", "False");
    }

    @Test
    @Order(5)
    void aChangeIsAppliedTheServiceRecreatedAndTheComponentsRestarted() {
        Cluster k = cluster();
        String serviceUid = client.services().inNamespace(NS).withName("netplane-dns").get().getMetadata().getUid();
        String hash = k.netplane().getStatus().configHash();
        k.pod("policy-operator-before-change", "policy-operator");
        client.resources(Netplane.class).withName(Netplane.NAME).edit(np -> {
            np.setSpec(spec("10.96.0.11", "10.77.0.2:9092", "edge", true));
            return np;
        });
        await().atMost(WAIT).untilAsserted(() -> {
            Service dns = client.services().inNamespace(NS).withName("netplane-dns").get();
            assertThat(dns).isNotNull();
            assertThat(dns.getSpec().getClusterIPs()).containsExactly("10.96.0.11");
            assertThat(dns.getMetadata().getUid()).isNotEqualTo(serviceUid);
            assertThat(Cluster.ownedBy(dns, k.netplane())).isTrue();
            assertThat(client.configMaps().inNamespace(NS).withName("netplane-cluster").get().getData())
                    .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "10.77.0.2:9092")
                    .containsEntry("NETPLANE_DNS_ADDRESSES", "10.96.0.11")
                    .containsEntry("NETPLANE_INGRESS_CLASS", "edge");
            assertThat(proxyEnv(client.apps().daemonSets().inNamespace(NS).withName("node-proxy").get()))
                    .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "10.77.0.2:9092");
            IngressClass edge = client.network().v1().ingressClasses().withName("edge").get();
            assertThat(edge).isNotNull();
            assertThat(edge.getMetadata().getAnnotations())
                    .containsEntry("ingressclass.kubernetes.io/is-default-class", "true");
            assertThat(client.network().v1().ingressClasses().withName("netplane").get()).isNull();
            Netplane np = k.netplane();
            assertThat(np.getStatus().observedGeneration()).isEqualTo(np.getMetadata().getGeneration());
            assertThat(np.getStatus().configHash()).isNotEqualTo(hash);
            assertThat(k.podGone("policy-operator-before-change")).isTrue();
        });
    }

    @Test
    @Order(6)
    void anInvalidSpecIsDegradedWithAWarningAndChangesNothing() {
        Cluster k = cluster();
        Map<String, String> before = versions("edge");
        long generation = client.resources(Netplane.class).withName(Netplane.NAME).edit(np -> {
            np.setSpec(new NetplaneSpec(List.of("10.96.0.0/33"), List.of("10.244.0.0/16"),
                    new NetplaneSpec.Kafka("10.77.0.2:9092"), new NetplaneSpec.Dns(null, List.of("10.96.0.11")),
                    null, new NetplaneSpec.Ingress("edge", true)));
            return np;
        }).getMetadata().getGeneration();
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(k.netplane().getStatus().observedGeneration()).isEqualTo(generation);
            assertCondition("Degraded", "True", "InvalidSpec");
            assertCondition("Ready", "False", "InvalidSpec");
            assertThat(k.condition("Degraded").orElseThrow().getMessage())
                    .contains("spec.serviceCIDRs[0]: \"10.96.0.0/33\" is not a valid CIDR");
            assertThat(k.warnings("InvalidSpec")).anySatisfy(e -> {
                assertThat(e.getInvolvedObject().getName()).isEqualTo(Netplane.NAME);
                assertThat(e.getMessage()).contains("spec.serviceCIDRs[0]");
            });
        });
        assertThat(versions("edge")).isEqualTo(before);
    }

    /**
     * k8s/install-operator applies, and its ServiceAccount may do what the operator does (the operator here runs with
     * the admin token, so this asks the API server's authorizer instead).
     */
    @Test
    @Order(7)
    void theManifestsApplyAndGrantWhatTheOperatorDoes() throws Exception {
        Path dir = SourceTree.root().orElseThrow().resolve("k8s/install-operator");
        try (InputStream rbac = Files.newInputStream(dir.resolve("rbac.yaml"))) {
            client.load(rbac).items().forEach(o -> client.resource(o).fieldManager("netplane-test").serverSideApply());
        }
        try (InputStream deployment = Files.newInputStream(dir.resolve("deployment.yaml"))) {
            client.load(deployment).items().forEach(o -> client.resource(o).dryRun().create());
        }
        String[][] allowed = {
                // group, resource, namespace ("" = cluster), verbs
                {"netplane.io", "netplanes", "", "list,watch"},
                {"netplane.io", "netplanes/status", "", "patch"},
                {"networking.k8s.io", "ingressclasses", "", "list,watch,create,patch,delete"},
                {"admissionregistration.k8s.io", "mutatingwebhookconfigurations", "", "list,watch,create,patch"},
                {"apiextensions.k8s.io", "customresourcedefinitions", "", "get"},
                {"", "events", "default", "create"},
                {"", "configmaps", NS, "list,watch,create,patch"},
                {"", "services", NS, "list,watch,create,patch,delete"},
                {"apps", "daemonsets", NS, "list,watch,create,patch"},
                {"apps", "deployments", NS, "list,watch"},
                {"", "pods", NS, "list,delete"},
                {"kafka.strimzi.io", "kafkatopics", NS, "list,watch,create,patch"},
                {"coordination.k8s.io", "leases", NS, "get,create,update,patch"}};
        for (String[] row : allowed) {
            for (String verb : row[3].split(",")) {
                assertThat(allowed(row[0], row[1], row[2], verb, null)).as(String.join(" ", row[0], row[1], row[2], verb))
                        .isTrue();
            }
        }
        assertThat(allowed("", "secrets", NS, "get", "ipam-service-tls")).isTrue();
        assertThat(allowed("", "secrets", NS, "get", "other")).as("other Secrets").isFalse();
        assertThat(allowed("", "configmaps", "default", "create", null)).as("outside netplane-system").isFalse();
        assertThat(allowed("netplane.io", "netplanes", "", "delete", null)).as("deleting the Netplane").isFalse();
    }

    private boolean allowed(String group, String resource, String namespace, String verb, String name) {
        String[] parts = resource.split("/");
        var review = new SubjectAccessReviewBuilder().withNewSpec()
                .withUser("system:serviceaccount:" + NS + ":install-operator")
                .withGroups("system:serviceaccounts", "system:serviceaccounts:" + NS, "system:authenticated")
                .withNewResourceAttributes().withGroup(group).withResource(parts[0])
                .withSubresource(parts.length > 1 ? parts[1] : null).withNamespace(namespace.isEmpty() ? null : namespace)
                .withVerb(verb).withName(name).endResourceAttributes().endSpec().build();
        return client.authorization().v1().subjectAccessReview().create(review).getStatus().getAllowed();
    }

    /** The resourceVersions of what the operator writes. */
    private Map<String, String> versions(String ingressClass) {
        List<HasMetadata> objects = java.util.stream.Stream.of(
                client.configMaps().inNamespace(NS).withName("netplane-cluster").get(),
                client.apps().daemonSets().inNamespace(NS).withName("node-proxy").get(),
                client.services().inNamespace(NS).withName("netplane-dns").get(),
                client.network().v1().ingressClasses().withName(ingressClass).get(),
                client.admissionRegistration().v1().mutatingWebhookConfigurations().withName("ipam-service").get())
                .filter(java.util.Objects::nonNull).map(HasMetadata.class::cast).toList();
        return objects.stream().collect(Collectors.toMap(o -> o.getKind() + "/" + o.getMetadata().getName(),
                o -> o.getMetadata().getResourceVersion()));
    }

    private void assertCondition(String type, String status, String reason) {
        var c = cluster().condition(type);
        assertThat(c).as(type).isPresent();
        assertThat(c.get().getStatus()).as(type + " " + c.get().getMessage()).isEqualTo(status);
        assertThat(c.get().getReason()).as(type + " " + c.get().getMessage()).isEqualTo(reason);
    }

    /** {@code kubectl get netplane default}: the API server's own rendering of the printer columns. */
    private Map<String, String> table() throws Exception {
        var http = client.getHttpClient();
        var request = http.newHttpRequestBuilder()
                .uri(client.getMasterUrl().toString().replaceAll("/$", "") + "/apis/netplane.io/v1alpha1/netplanes/default")
                .header("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io").build();
        String body = http.sendAsync(request, String.class).get().body();
        JsonNode table = new ObjectMapper().readTree(body);
        JsonNode cells = table.at("/rows/0/cells");
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < table.get("columnDefinitions").size(); i++) {
            out.put(table.get("columnDefinitions").get(i).get("name").asText(),
                    cells.get(i).isTextual() ? cells.get(i).asText() : cells.get(i).toString());
        }
        return out;
    }

    private static Map<String, String> proxyEnv(DaemonSet ds) {
        return ds.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(v -> v.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    private static NetplaneSpec spec(String dnsIp, String bootstrap, String className, boolean defaultClass) {
        return new NetplaneSpec(List.of("10.96.0.0/16"), List.of("10.244.0.0/16"), new NetplaneSpec.Kafka(bootstrap),
                new NetplaneSpec.Dns(null, List.of(dnsIp)), null, new NetplaneSpec.Ingress(className, defaultClass));
    }

    private static Netplane netplane(NetplaneSpec spec) {
        Netplane np = new Netplane();
        np.setMetadata(new ObjectMetaBuilder().withName(Netplane.NAME).build());
        np.setSpec(spec);
        return np;
    }
}
