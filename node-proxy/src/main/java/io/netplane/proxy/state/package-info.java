/** The proxy's in-memory view of the cluster, built from Kafka events: Services, EndpointSlices and this Node. */
package io.netplane.proxy.state;
