/** The benchmark behind {@code bench/endpoints-operator.sh}: a command that prints figures, not a test. */
package io.netplane.endpoints.bench;
