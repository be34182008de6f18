package io.netplane.ipam.it;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** ipam-service without Kubernetes: records in memory, no controllers; a small LB-free setup for the REST API. */
public class MemoryStoreProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "netplane.ipam.store", "memory",
                "netplane.ipam.controllers", "false",
                "netplane.ipam.service-cidrs", "10.96.0.0/24,fd00:96::/120",
                "netplane.ipam.node-port-range", "30000-30099");
    }
}
