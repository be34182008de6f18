package io.netplane.ipam.kube;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.netplane.api.events.ObjectRef;
import io.netplane.ipam.authority.LoadBalancerAssigner.LbService;
import io.netplane.ipam.family.ServiceFields;
import io.netplane.ipam.plan.ServicePort;
import io.netplane.ipam.plan.ServiceRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Cuts a Kubernetes Service down, once, at the edge: to the {@link ServiceRequest} allocation reads and to the
 * {@link LbService} LoadBalancer assignment reads. Requested LoadBalancer addresses come from
 * {@code spec.loadBalancerIP} or the annotation {@value #REQUESTED_ANNOTATION} (comma-separated, one per family).
 */
public final class ServiceInputs {
    public static final String REQUESTED_ANNOTATION = "netplane.io/load-balancer-ips";

    private ServiceInputs() {
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

    public static LbService loadBalancer(Service svc) {
        ServiceSpec spec = svc.getSpec() == null ? new ServiceSpec() : svc.getSpec();
        List<String> requested = new ArrayList<>();
        if (spec.getLoadBalancerIP() != null && !spec.getLoadBalancerIP().isBlank()) {
            requested.add(spec.getLoadBalancerIP().strip());
        }
        Map<String, String> ann = svc.getMetadata().getAnnotations();
        if (ann != null && ann.get(REQUESTED_ANNOTATION) != null) {
            Arrays.stream(ann.get(REQUESTED_ANNOTATION).split(",")).map(String::strip).filter(s -> !s.isEmpty())
                    .forEach(requested::add);
        }
        return new LbService(spec.getType(), spec.getLoadBalancerClass(), spec.getIpFamilies(), requested,
                svc.getMetadata().getLabels(), svc.getMetadata().getDeletionTimestamp() != null);
    }

    /** The LoadBalancer view of a Service that is gone: it is served nothing, so what it held is released. */
    public static LbService gone() {
        return new LbService(null, null, List.of(), List.of(), Map.of(), true);
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
