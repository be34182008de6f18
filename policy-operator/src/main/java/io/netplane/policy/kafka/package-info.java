/** The Kafka shell: publishes compiled policies and address sets, and finds stale keys at start. */
package io.netplane.policy.kafka;
