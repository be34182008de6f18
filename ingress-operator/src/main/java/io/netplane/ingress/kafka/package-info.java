/** Kafka shell: the gateway's route and endpoint feed (snapshot, then follow) and the controller's publisher. */
package io.netplane.ingress.kafka;
