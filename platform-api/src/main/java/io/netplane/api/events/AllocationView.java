package io.netplane.api.events;

import java.time.Instant;

/**
 * One allocated address, port or CIDR, keyed by the name of its allocation record.
 *
 * @param kind ClusterIP, NodePort, LoadBalancerIP, PodCIDR or External
 * @param value the address, {@code <protocol>/<port>} or CIDR
 * @param family IPv4 or IPv6 for addresses and CIDRs, null for ports
 * @param pool the pool or range it came from
 * @param owner the object it is allocated to
 */
public record AllocationView(
        String name,
        String resourceVersion,
        Instant observedAt,
        String kind,
        String value,
        String family,
        String pool,
        ObjectRef owner) implements ContractEvent {

    @Override
    public String key() {
        return name;
    }
}
