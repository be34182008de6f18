package io.netplane.ingress.it;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Controller and gateway in one process, against the real kube-apiserver. */
public class ControllerProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "netplane.ingress.controller.enabled", "true",
                "netplane.ingress.controller.status-addresses", "192.0.2.10,ingress.example.net",
                "netplane.ingress.controller.sweep-interval", "1s",
                "netplane.ingress.gateway.https-port", "0",
                "netplane.ingress.gateway.tls-reload-interval", "500ms");
    }
}
