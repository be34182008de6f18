package io.netplane.ipam.crd;

/** What an {@link Allocation} holds and for whom. */
public class AllocationSpec {
    /** ClusterIP, NodePort, LoadBalancerIP, PodCIDR or External. */
    public String kind;
    /** The address, port number or CIDR. */
    public String value;
    /** IPv4 or IPv6; empty for ports. */
    public String family;
    /** The pool or range the value came from. */
    public String pool;
    public OwnerRef owner;

    /** The object that holds the value. */
    public static class OwnerRef {
        public String kind;
        public String namespace;
        public String name;
        public String uid;
    }
}
