package io.netplane.testing.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5: {@code @ExtendWith(KubeApiServerExtension.class)} gives a test class the JVM's shared real kube-apiserver
 * ({@link SharedKubeApiServer}). Test methods and constructors can take a {@link KubeApiServer} or a
 * {@link KubernetesClient} parameter (one client per test class, closed after it). The system property
 * {@value Config#KUBERNETES_KUBECONFIG_FILE} is set to the server's kubeconfig, so fabric8 clients built with
 * defaults inside the test JVM reach it too.
 */
public class KubeApiServerExtension implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KubeApiServerExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        KubeApiServer server = SharedKubeApiServer.server();
        System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, server.kubeconfig().toString());
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        Class<?> type = p.getParameter().getType();
        return type == KubeApiServer.class || type == KubernetesClient.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        KubeApiServer server = SharedKubeApiServer.server();
        if (p.getParameter().getType() == KubeApiServer.class) {
            return server;
        }
        ExtensionContext classContext = e.getTestClass().isPresent() ? classContext(e) : e;
        return classContext.getStore(NAMESPACE)
                .getOrComputeIfAbsent("client", key -> new ClosableClient(server.newClient()), ClosableClient.class)
                .client();
    }

    private static ExtensionContext classContext(ExtensionContext e) {
        ExtensionContext c = e;
        while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
            c = c.getParent().get();
        }
        return c;
    }

    private record ClosableClient(KubernetesClient client) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            client.close();
        }
    }
}
