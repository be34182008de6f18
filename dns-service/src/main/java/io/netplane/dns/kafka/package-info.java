/** The Kafka shell: follows the services, endpointslices and pods topics and keeps the current zone snapshot. */
package io.netplane.dns.kafka;
