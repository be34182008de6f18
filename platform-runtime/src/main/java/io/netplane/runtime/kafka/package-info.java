/** Kafka plumbing: the event publisher and the snapshot-then-follow consumer. */
package io.netplane.runtime.kafka;
