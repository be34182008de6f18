package io.netplane.api.events;

import java.time.Instant;
import java.util.List;

/**
 * An EndpointSlice as kube-proxy, CoreDNS and an ingress gateway read it. Conditions are resolved to
 * booleans at the edge ({@code ready} unset means ready, as the API documents).
 *
 * @param serviceName the {@code kubernetes.io/service-name} label
 * @param addressType IPv4, IPv6 or FQDN
 * @param managedBy the {@code endpointslice.kubernetes.io/managed-by} label
 * @param serviceProxyName the {@code service.kubernetes.io/service-proxy-name} label: the default proxy ignores a
 *        slice that has it, a named proxy one named otherwise (kube-proxy's informer selector)
 * @param headless the slice has the {@code service.kubernetes.io/headless} label: proxies ignore it, DNS does not
 */
public record EndpointSliceView(
        String namespace,
        String name,
        String resourceVersion,
        Instant observedAt,
        String serviceName,
        String addressType,
        String managedBy,
        List<EndpointPortView> ports,
        List<EndpointView> endpoints,
        String serviceProxyName,
        boolean headless) implements ContractEvent {

    public EndpointSliceView {
        ports = Lists.of(ports);
        endpoints = Lists.of(endpoints);
    }

    /** A slice without the proxy labels. */
    public EndpointSliceView(String namespace, String name, String resourceVersion, Instant observedAt,
            String serviceName, String addressType, String managedBy, List<EndpointPortView> ports,
            List<EndpointView> endpoints) {
        this(namespace, name, resourceVersion, observedAt, serviceName, addressType, managedBy, ports, endpoints,
                null, false);
    }

    @Override
    public String key() {
        return ContractEvent.key(namespace, name);
    }

    /** A slice port; {@code port} null means "all ports" as the API allows. */
    public record EndpointPortView(String name, String protocol, Integer port, String appProtocol) {
    }

    /** One endpoint with its conditions, placement, topology hints and target. */
    public record EndpointView(
            List<String> addresses,
            boolean ready,
            boolean serving,
            boolean terminating,
            String hostname,
            String nodeName,
            String zone,
            List<String> zoneHints,
            List<String> nodeHints,
            ObjectRef targetRef) {
        public EndpointView {
            addresses = Lists.of(addresses);
            zoneHints = Lists.of(zoneHints);
            nodeHints = Lists.of(nodeHints);
        }
    }
}
