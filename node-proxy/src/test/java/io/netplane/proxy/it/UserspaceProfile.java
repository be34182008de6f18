package io.netplane.proxy.it;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** node-proxy in userspace mode on loopback: ClusterIPs in 127.0.0.0/8, NodePorts on 127.0.0.1. */
public class UserspaceProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "netplane.proxy.mode", "userspace",
                "netplane.proxy.node-name", "userspace-node",
                "netplane.proxy.userspace.node-port-address", "127.0.0.1",
                "netplane.proxy.health-check-bind-address", "127.0.0.1");
    }
}
