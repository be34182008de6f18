package io.netplane.ipam.records;

import io.netplane.api.events.AllocationView;
import io.netplane.api.events.ObjectRef;
import java.time.Instant;

/**
 * One allocated value as persisted (one Kubernetes object per value, created atomically by {@code name}).
 *
 * @param kind ClusterIP, NodePort, LoadBalancerIP, PodCIDR or External
 * @param value the address, the port number, or the CIDR
 * @param family IPv4/IPv6, null for ports
 * @param pool the range or pool it came from
 * @param owner what holds it (a Service, a Node, or {@code External} with the request key as name)
 * @param createdAt when the record was created (null when not known yet); the repair loop's grace period uses it
 * @param version the stored object's resourceVersion (null before it is stored)
 */
public record AllocationRecord(String name, String kind, String value, String family, String pool, ObjectRef owner,
        Instant createdAt, String version) {

    public AllocationRecord(String name, String kind, String value, String family, String pool, ObjectRef owner,
            Instant createdAt) {
        this(name, kind, value, family, pool, owner, createdAt, null);
    }

    public static final String CLUSTER_IP = "ClusterIP";
    public static final String NODE_PORT = "NodePort";
    public static final String LOAD_BALANCER_IP = "LoadBalancerIP";
    public static final String POD_CIDR = "PodCIDR";
    public static final String EXTERNAL = "External";

    public boolean ownedBy(ObjectRef other) {
        return owner != null && other != null && owner.kind().equals(other.kind())
                && java.util.Objects.equals(owner.namespace(), other.namespace()) && owner.name().equals(other.name());
    }

    public AllocationView toView(String resourceVersion, Instant observedAt) {
        return new AllocationView(name, resourceVersion, observedAt, kind, value, family, pool, owner);
    }
}
