/** A real single-node KRaft Kafka broker for tests and local runs. */
package io.netplane.testing.kafka;
