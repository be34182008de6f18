package io.netplane.policy.it;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.List;
import java.util.Map;

/**
 * The fabric8 mock-server test resource leaves its client settings ({@code kubernetes.master}, ...) behind as
 * JVM system properties, which would point a later test class's client at the stopped mock; this clears them
 * before the application starts.
 */
public class ForgetMockServer implements QuarkusTestResourceLifecycleManager {
    private static final List<String> LEFT_BEHIND = List.of("kubernetes.master", "kubernetes.namespace",
            "kubernetes.trust.certificates", "kubernetes.auth.tryKubeConfig", "kubernetes.auth.tryServiceAccount",
            "http2.disable", "quarkus.tls.trust-all");

    @Override
    public Map<String, String> start() {
        LEFT_BEHIND.forEach(System::clearProperty);
        return Map.of();
    }

    @Override
    public void stop() {
        // nothing to undo
    }
}
