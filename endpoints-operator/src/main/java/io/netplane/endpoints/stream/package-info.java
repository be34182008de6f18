/** The Kafka shell: the startup snapshot of what is on the topics, and one informer-fed stream per topic. */
package io.netplane.endpoints.stream;
