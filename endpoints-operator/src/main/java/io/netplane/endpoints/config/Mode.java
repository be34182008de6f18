package io.netplane.endpoints.config;

/**
 * {@code manage}: this operator writes EndpointSlices (the cluster's own EndpointSlice controllers must be off).
 * {@code observe}: it writes nothing and publishes the slices the cluster's controller writes.
 */
public enum Mode {
    MANAGE,
    OBSERVE
}
