package io.netplane.ipam.plan;

import io.netplane.ipam.family.ServiceFields;
import java.util.List;

/**
 * A Service cut down to what ClusterIP and NodePort allocation reads: the IP fields, the ports, whether a
 * LoadBalancer gets node ports ({@code allocateLoadBalancerNodePorts}, null = default true) and the health-check
 * node port of {@code externalTrafficPolicy: Local} load balancers (0 = unset).
 */
public record ServiceRequest(
        ServiceFields fields,
        List<ServicePort> ports,
        Boolean allocateLoadBalancerNodePorts,
        String externalTrafficPolicy,
        int healthCheckNodePort) {

    public ServiceRequest {
        ports = ports == null ? List.of() : List.copyOf(ports);
    }

    public static ServiceRequest of(ServiceFields fields, List<ServicePort> ports) {
        return new ServiceRequest(fields, ports, null, null, 0);
    }

    public String type() {
        return fields.type();
    }

    boolean needsNodePorts() {
        return "NodePort".equals(type()) || "LoadBalancer".equals(type());
    }

    boolean allocatesNodePorts() {
        return "NodePort".equals(type())
                || ("LoadBalancer".equals(type()) && !Boolean.FALSE.equals(allocateLoadBalancerNodePorts));
    }

    /** {@code NeedsHealthCheck}: a LoadBalancer with externalTrafficPolicy Local. */
    boolean needsHealthCheck() {
        return "LoadBalancer".equals(type()) && "Local".equals(externalTrafficPolicy);
    }

    ServiceRequest with(ServiceFields f, List<ServicePort> p, int hc) {
        return new ServiceRequest(f, p, allocateLoadBalancerNodePorts, externalTrafficPolicy, hc);
    }
}
