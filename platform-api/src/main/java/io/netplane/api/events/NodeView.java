package io.netplane.api.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A Node as node proxies (addresses for NodePorts, zone for topology hints) and the DNS and policy
 * components need it.
 *
 * @param zone the {@code topology.kubernetes.io/zone} label, or null
 * @param allocatableCpuMillis {@code status.allocatable.cpu} in millicores (topology-aware hints weigh zones by it)
 */
public record NodeView(
        String name,
        String uid,
        String resourceVersion,
        Instant observedAt,
        List<NodeAddressView> addresses,
        String zone,
        List<String> podCIDRs,
        boolean ready,
        long allocatableCpuMillis,
        Map<String, String> labels) implements ContractEvent {

    public NodeView {
        addresses = Lists.of(addresses);
        podCIDRs = Lists.of(podCIDRs);
        labels = Lists.of(labels);
    }

    @Override
    public String key() {
        return name;
    }

    /** One of {@code status.addresses}: type InternalIP, ExternalIP, Hostname, ... */
    public record NodeAddressView(String type, String address) {
    }
}
