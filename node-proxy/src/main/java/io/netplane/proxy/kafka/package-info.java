/** Kafka input: the snapshot-then-follow consumer of services, endpointslices and nodes. */
package io.netplane.proxy.kafka;
