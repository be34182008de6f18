package io.netplane.ingress.it;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Controller and gateway in one process with nothing configured about addresses, and a sweep too slow to matter:
 * what a user gets by default.
 */
public class DefaultsProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "netplane.ingress.controller.enabled", "true",
                "netplane.ingress.controller.sweep-interval", "10m");
    }
}
