package io.netplane.testing.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KubeApiServerExtension.class)
class KubeApiServerExtensionTest {
    private static final String NS = "kube-api-server-extension-test";

    @BeforeAll
    static void namespace(KubernetesClient client) {
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    }

    @Test
    void createsNamespaceAndConfigMap(KubernetesClient client) {
        assertThat(client.namespaces().withName(NS).get().getStatus().getPhase()).isEqualTo("Active");

        client.resource(configMap("created", Map.of("k", "v"))).create();

        assertThat(client.configMaps().inNamespace(NS).withName("created").get().getData()).containsEntry("k", "v");
    }

    @Test
    void watchSeesEvents(KubernetesClient client) throws InterruptedException {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        try (Watch watch = client.configMaps().inNamespace(NS).withName("watched").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap resource) {
                events.add(action + " " + resource.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            client.resource(configMap("watched", Map.of("k", "v"))).create();

            assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("ADDED watched");
        }
    }

    @Test
    void serverSideApplyCreatesThenMerges(KubernetesClient client) {
        client.resource(configMap("applied", Map.of("a", "1"))).fieldManager("first").serverSideApply();
        ConfigMap merged = client.resource(configMap("applied", Map.of("b", "2"))).fieldManager("second").serverSideApply();

        assertThat(merged.getData()).containsExactlyInAnyOrderEntriesOf(Map.of("a", "1", "b", "2"));
        assertThat(merged.getMetadata().getManagedFields()).extracting(f -> f.getManager())
                .contains("first", "second");
    }

    @Test
    void staleResourceVersionIsAConflict(KubernetesClient client) {
        ConfigMap created = client.resource(configMap("versioned", Map.of("k", "1"))).create();
        client.resource(new ConfigMapBuilder(created).withData(Map.of("k", "2")).build()).update();

        ConfigMap stale = new ConfigMapBuilder(created).withData(Map.of("k", "3")).build();

        assertThatThrownBy(() -> client.resource(stale).update())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    }

    @Test
    void versionIsThePinnedRelease(KubernetesClient client) throws IOException {
        String pinned = Files.readAllLines(SourceTree.root().orElseThrow().resolve("hack/control-plane/versions.env"))
                .stream().filter(l -> l.startsWith("K8S_VERSION=")).findFirst().orElseThrow().substring("K8S_VERSION=".length());

        assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo(pinned);
        assertThat(client.raw("/version")).contains("\"gitVersion\": \"" + pinned + "\"");
    }

    @Test
    void kubeconfigWorksForDefaultClients(KubeApiServer server) {
        try (KubernetesClient fromKubeconfig = new KubernetesClientBuilder().build()) {
            assertThat(fromKubeconfig.getMasterUrl().toString()).startsWith(server.url());
            assertThat(fromKubeconfig.namespaces().withName(NS).get()).isNotNull();
        }
    }

    @Test
    void installsCrdsFromADirectory(KubernetesClient client, @TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("widgets.yaml"), """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata:
                  name: widgets.test.netplane.io
                spec:
                  group: test.netplane.io
                  names: {kind: Widget, plural: widgets, singular: widget}
                  scope: Namespaced
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    schema:
                      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
                """);

        assertThat(Crds.install(client, dir)).containsExactly("widgets.test.netplane.io");
        assertThat(client.genericKubernetesResources("test.netplane.io/v1", "Widget").inNamespace(NS).list().getItems())
                .isEmpty();
    }

    private static ConfigMap configMap(String name, Map<String, String> data) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withData(data).build();
    }
}
