package io.netplane.ingress.it;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.Map;

/** Controller and gateway in one process, against the real kube-apiserver. */
public class ControllerProfile implements QuarkusTestProfile {
    @Override
    public final Map<String, String> getConfigOverrides() {
        Map<String, String> out = new HashMap<>(Map.of(
                "netplane.ingress.controller.enabled", "true",
                "netplane.ingress.controller.status-addresses", "192.0.2.10,ingress.example.net",
                "netplane.ingress.controller.sweep-interval", "1s",
                "netplane.ingress.gateway.https-port", "0",
                "netplane.ingress.gateway.tls-reload-interval", "500ms"));
        out.putAll(overrides());
        return out;
    }

    /** What a test's own profile sets on top (or instead) of the above. */
    protected Map<String, String> overrides() {
        return Map.of();
    }
}
