package io.netplane.endpoints.views;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.netplane.api.events.ServiceView;
import io.netplane.api.events.ServiceView.ServicePortView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Cuts a fabric8 {@link Service} down to the {@link ServiceView} of the contract, filling API defaults. */
public final class ServiceInputs {
    public static final String SERVICE_PROXY_NAME_LABEL = "service.kubernetes.io/service-proxy-name";
    static final String NONE = "None";

    private ServiceInputs() {
    }

    public static ServiceView from(Service service, Instant observedAt) {
        var meta = service.getMetadata();
        ServiceSpec spec = service.getSpec() == null ? new ServiceSpec() : service.getSpec();
        Map<String, String> labels = meta.getLabels() == null ? Map.of() : meta.getLabels();
        Integer affinityTimeout = spec.getSessionAffinityConfig() == null
                || spec.getSessionAffinityConfig().getClientIP() == null
                ? null : spec.getSessionAffinityConfig().getClientIP().getTimeoutSeconds();
        return new ServiceView(
                meta.getNamespace(),
                meta.getName(),
                meta.getUid(),
                meta.getResourceVersion(),
                observedAt,
                spec.getType() == null ? "ClusterIP" : spec.getType(),
                clusterIPs(spec),
                NONE.equals(spec.getClusterIP()),
                spec.getIpFamilies(),
                spec.getIpFamilyPolicy(),
                spec.getSelector() == null || spec.getSelector().isEmpty() ? null : spec.getSelector(),
                ports(spec.getPorts()),
                spec.getExternalName(),
                Addresses.canonical(spec.getExternalIPs()),
                ingressIPs(service),
                spec.getLoadBalancerSourceRanges(),
                spec.getSessionAffinity() == null ? "None" : spec.getSessionAffinity(),
                affinityTimeout,
                spec.getExternalTrafficPolicy(),
                spec.getInternalTrafficPolicy(),
                spec.getHealthCheckNodePort(),
                Boolean.TRUE.equals(spec.getPublishNotReadyAddresses()),
                spec.getTrafficDistribution(),
                labels.get(SERVICE_PROXY_NAME_LABEL));
    }

    /** {@code spec.clusterIPs}, falling back to {@code spec.clusterIP} for objects written before dual-stack. */
    static List<String> clusterIPs(ServiceSpec spec) {
        List<String> raw = spec.getClusterIPs() != null && !spec.getClusterIPs().isEmpty()
                ? spec.getClusterIPs()
                : spec.getClusterIP() == null ? List.of() : List.of(spec.getClusterIP());
        return Addresses.canonical(raw.stream().filter(ip -> !NONE.equals(ip)).toList());
    }

    private static List<ServicePortView> ports(List<ServicePort> ports) {
        List<ServicePortView> out = new ArrayList<>();
        if (ports == null) {
            return out;
        }
        for (ServicePort p : ports) {
            int port = p.getPort() == null ? 0 : p.getPort();
            out.add(new ServicePortView(p.getName(), p.getProtocol() == null ? "TCP" : p.getProtocol(), port,
                    targetPort(p.getTargetPort(), port), p.getNodePort(), p.getAppProtocol()));
        }
        return out;
    }

    /** The API defaults an unset targetPort to the port itself. */
    static String targetPort(IntOrString target, int port) {
        if (target == null || (target.getIntVal() == null && target.getStrVal() == null)) {
            return Integer.toString(port);
        }
        return target.getIntVal() != null ? target.getIntVal().toString() : target.getStrVal();
    }

    private static List<String> ingressIPs(Service service) {
        if (service.getStatus() == null || service.getStatus().getLoadBalancer() == null
                || service.getStatus().getLoadBalancer().getIngress() == null) {
            return List.of();
        }
        return Addresses.canonical(service.getStatus().getLoadBalancer().getIngress().stream()
                .map(LoadBalancerIngress::getIp).toList());
    }
}
