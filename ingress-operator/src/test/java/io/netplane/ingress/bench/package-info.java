/** Support for bench/ingress-operator.sh (not a test): a Kafka broker holding the benchmark's route and endpoints. */
package io.netplane.ingress.bench;
