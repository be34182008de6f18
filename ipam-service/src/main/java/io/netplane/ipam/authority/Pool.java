package io.netplane.ipam.authority;

import io.netplane.ipam.range.AllocationException;

/** One allocatable space (a Service CIDR, the node-port range, a LoadBalancer pool, a pod-CIDR range) seen by value text. */
public interface Pool {
    String name();

    /** The allocation kind its values get when a Kubernetes object owns them. */
    String kind();

    /** IPv4/IPv6, or null for ports. */
    String family();

    /** Human-readable extent ("10.96.0.0/16", "30000-32767"). */
    String range();

    long size();

    long used();

    /** True when {@code value} is a value of this pool (in range, of the right family). */
    boolean contains(String value);

    /** The record name {@code value} is stored under. */
    String recordName(String value);

    /** Reserves {@code value}, or the next free one when null; returns the canonical value. */
    String allocate(String value) throws AllocationException;

    /** Marks a value that the durable map says is taken; false if it already was or is not in the pool. */
    boolean mark(String value);

    boolean release(String value);
}
