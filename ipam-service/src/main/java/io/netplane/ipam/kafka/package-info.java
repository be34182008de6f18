/** Publishes allocation records on {@code netplane.allocations.v1}. */
package io.netplane.ipam.kafka;
