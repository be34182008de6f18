/** Kafka shell of the gateway: the route and endpoint feed (snapshot, then follow). */
package io.netplane.ingress.kafka;
