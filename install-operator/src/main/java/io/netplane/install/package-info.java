/**
 * The install operator: reconciles the cluster-scoped {@code Netplane} resource named {@code default} into what an
 * OLM bundle cannot carry (the cluster ConfigMap, the node-proxy DaemonSet, the IngressClass, the DNS Service, the
 * ipam-service webhook without OLM, the KafkaTopics with Strimzi) and reports each component's state.
 */
package io.netplane.install;
