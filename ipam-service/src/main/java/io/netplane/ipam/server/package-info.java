/** CDI wiring: builds the allocators from configuration, picks the store, connects the Kafka publisher. */
package io.netplane.ipam.server;
