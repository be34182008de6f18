package io.netplane.testing.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KubeApiServerTestResourceTest {

    @Test
    void configReachesTheServerAndTheNamespaceExists() {
        KubeApiServerTestResource resource = new KubeApiServerTestResource();
        resource.init(Map.of(KubeApiServerTestResource.NAMESPACE_ARG, "quarkus-resource-test"));

        Map<String, String> config = resource.start();

        assertThat(config).containsEntry("quarkus.kubernetes-client.namespace", "quarkus-resource-test")
                .containsEntry("quarkus.kubernetes-client.trust-certs", "true")
                .containsEntry("quarkus.kubernetes-client.devservices.enabled", "false")
                .containsKeys("quarkus.kubernetes-client.api-server-url", "quarkus.kubernetes-client.token");
        // what quarkus-kubernetes-client builds from those properties
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl(config.get("quarkus.kubernetes-client.api-server-url"))
                .withOauthToken(config.get("quarkus.kubernetes-client.token"))
                .withTrustCerts(true)
                .withNamespace(config.get("quarkus.kubernetes-client.namespace"))
                .build()).build()) {
            assertThat(client.namespaces().withName(client.getNamespace()).get()).isNotNull();
        }
        resource.stop();
    }
}
