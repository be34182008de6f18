package io.netplane.api.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A Service as node proxies, DNS and gateways need it: what kube-proxy's ServicePort and CoreDNS's
 * object.Service read, and nothing else.
 *
 * @param type ClusterIP, NodePort, LoadBalancer or ExternalName
 * @param clusterIPs the allocated ClusterIPs, primary first; empty for headless and ExternalName Services
 * @param headless {@code spec.clusterIP: None}
 * @param selector the Pod selector; {@code null} when the Service has none (endpoints are then managed by hand)
 * @param loadBalancerIngressIPs IPs from {@code status.loadBalancer.ingress}
 * @param serviceProxyName the {@code service.kubernetes.io/service-proxy-name} label: a proxy that is not named ignores the Service
 */
public record ServiceView(
        String namespace,
        String name,
        String uid,
        String resourceVersion,
        Instant observedAt,
        String type,
        List<String> clusterIPs,
        boolean headless,
        List<String> ipFamilies,
        String ipFamilyPolicy,
        Map<String, String> selector,
        List<ServicePortView> ports,
        String externalName,
        List<String> externalIPs,
        List<String> loadBalancerIngressIPs,
        List<String> loadBalancerSourceRanges,
        String sessionAffinity,
        Integer sessionAffinityTimeoutSeconds,
        String externalTrafficPolicy,
        String internalTrafficPolicy,
        Integer healthCheckNodePort,
        boolean publishNotReadyAddresses,
        String trafficDistribution,
        String serviceProxyName) implements ContractEvent {

    public ServiceView {
        clusterIPs = Lists.of(clusterIPs);
        ipFamilies = Lists.of(ipFamilies);
        selector = selector == null ? null : Map.copyOf(selector);
        ports = Lists.of(ports);
        externalIPs = Lists.of(externalIPs);
        loadBalancerIngressIPs = Lists.of(loadBalancerIngressIPs);
        loadBalancerSourceRanges = Lists.of(loadBalancerSourceRanges);
    }

    @Override
    public String key() {
        return ContractEvent.key(namespace, name);
    }

    /** One entry of {@code spec.ports}. {@code targetPort} is a number or a container port name, as in the API. */
    public record ServicePortView(String name, String protocol, int port, String targetPort, Integer nodePort,
            String appProtocol) {
    }
}
