package io.netplane.testing.kube;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Quarkus: {@code @QuarkusTestResource(KubeApiServerTestResource.class)} points quarkus-kubernetes-client (and the
 * Quarkus Operator SDK) at the JVM's shared real kube-apiserver. Init arg {@code namespace} (default
 * {@code default}) is created if missing and becomes the client's namespace. The server outlives the application, so
 * several test classes reuse it.
 */
public class KubeApiServerTestResource implements QuarkusTestResourceLifecycleManager {
    public static final String NAMESPACE_ARG = "namespace";
    private String namespace = "default";

    @Override
    public void init(Map<String, String> initArgs) {
        namespace = initArgs.getOrDefault(NAMESPACE_ARG, namespace);
    }

    @Override
    public Map<String, String> start() {
        KubeApiServer server = SharedKubeApiServer.server();
        try (KubernetesClient client = server.newClient()) {
            if (client.namespaces().withName(namespace).get() == null) {
                client.resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
            }
        }
        return server.quarkusConfig(namespace);
    }

    @Override
    public void stop() {
        // the shared server stops with the JVM
    }
}
