package io.netplane.ipam.kube;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.netplane.api.events.ObjectRef;
import io.netplane.ipam.family.ServiceFields;
import io.netplane.ipam.plan.ServicePort;
import io.netplane.ipam.plan.ServiceRequest;
import java.util.List;

/** Cuts a Kubernetes Service down to the {@link ServiceRequest} allocation reads, once, at the edge. */
public final class ServiceCut {
    private ServiceCut() {
    }

    public static ServiceRequest request(Service svc) {
        ServiceSpec s = svc.getSpec() == null ? new ServiceSpec() : svc.getSpec();
        ServiceFields fields = new ServiceFields(s.getType(), s.getClusterIP(), s.getClusterIPs(), s.getIpFamilies(),
                s.getIpFamilyPolicy(), s.getSelector() != null && !s.getSelector().isEmpty());
        List<ServicePort> ports = s.getPorts() == null ? List.of() : s.getPorts().stream()
                .map(p -> new ServicePort(p.getName(), p.getProtocol(), p.getPort() == null ? 0 : p.getPort(),
                        p.getNodePort() == null ? 0 : p.getNodePort()))
                .toList();
        return new ServiceRequest(fields, ports, s.getAllocateLoadBalancerNodePorts(), s.getExternalTrafficPolicy(),
                s.getHealthCheckNodePort() == null ? 0 : s.getHealthCheckNodePort());
    }

    public static ObjectRef owner(Service svc) {
        return new ObjectRef("Service", svc.getMetadata().getNamespace(), svc.getMetadata().getName(),
                svc.getMetadata().getUid());
    }

    /** The owner as known at admission of a create (no uid yet). */
    public static ObjectRef owner(String namespace, String name) {
        return new ObjectRef("Service", namespace, name, null);
    }
}
