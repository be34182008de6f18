/** Quarkus integration tests through the real Kafka broker (and, for the controller, a real kube-apiserver). */
package io.netplane.ingress.it;
