package io.netplane.ipam.it;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * ipam-service against the real kube-apiserver (service CIDR 10.96.0.0/16 like the test control plane) with a node
 * port range narrower than the API server's, so ports the webhook chose are told apart from ports the API server chose.
 * REST API review answers are remembered for 2 s instead of 10, so a grant made during a test applies soon.
 */
public class KubernetesProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "netplane.ipam.store", "kubernetes",
                "netplane.ipam.controllers", "true",
                "netplane.ipam.publish", "false",
                "netplane.ipam.service-cidrs", "10.96.0.0/16",
                "netplane.ipam.node-port-range", "30000-30099",
                "netplane.ipam.repair-grace-seconds", "0",
                "netplane.ipam.repair-interval-seconds", "2",
                "netplane.ipam.api.auth-cache-ttl", "2s");
    }
}
