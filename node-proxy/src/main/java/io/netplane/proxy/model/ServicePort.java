package io.netplane.proxy.model;

import io.netplane.api.net.IpFamily;
import java.util.List;

/**
 * One port of one Service in one IP family, with everything the data plane needs: the virtual
 * addresses that lead to it and the policies that decide which endpoints serve which path.
 *
 * @param portName {@code spec.ports[].name} ("" when unnamed)
 * @param protocol lower-case {@code tcp}, {@code udp} or {@code sctp}
 * @param nodePort 0 when the port has none
 * @param loadBalancerSourceRanges CIDRs of this family allowed to reach the LoadBalancer IPs
 * @param firewalled {@code loadBalancerSourceRanges} was set on the Service (even if none apply to this family)
 * @param affinityTimeoutSeconds ClientIP session affinity timeout; 0 when affinity is off
 * @param externalPolicyLocal {@code externalTrafficPolicy: Local} on an externally reachable port
 * @param healthCheckNodePort 0 when the Service has none
 */
public record ServicePort(String namespace, String name, String portName, String protocol, IpFamily family,
        String clusterIP, int port, int nodePort, List<String> externalIPs, List<String> loadBalancerIPs,
        List<String> loadBalancerSourceRanges, boolean firewalled, int affinityTimeoutSeconds,
        boolean internalPolicyLocal, boolean externalPolicyLocal, int healthCheckNodePort) {

    public ServicePort {
        externalIPs = List.copyOf(externalIPs);
        loadBalancerIPs = List.copyOf(loadBalancerIPs);
        loadBalancerSourceRanges = List.copyOf(loadBalancerSourceRanges);
    }

    /** {@code namespace/name}, the key of the Service this port belongs to. */
    public String serviceKey() {
        return namespace + "/" + name;
    }

    /** {@code namespace/name/protocol/portName}, unique per table. */
    public String portKey() {
        return namespace + "/" + name + "/" + protocol + "/" + portName;
    }

    /** NodePort, externalIPs or LoadBalancer IPs lead to this port from outside the cluster. */
    public boolean externallyAccessible() {
        return nodePort != 0 || !externalIPs.isEmpty() || !loadBalancerIPs.isEmpty();
    }

    /** Some path of this port routes with the Cluster policy (kube-proxy's UsesClusterEndpoints). */
    public boolean usesClusterEndpoints() {
        return !internalPolicyLocal || (externallyAccessible() && !externalPolicyLocal);
    }

    /** Some path of this port routes with the Local policy (kube-proxy's UsesLocalEndpoints). */
    public boolean usesLocalEndpoints() {
        return internalPolicyLocal || (externallyAccessible() && externalPolicyLocal);
    }

    public boolean sessionAffinity() {
        return affinityTimeoutSeconds > 0;
    }
}
