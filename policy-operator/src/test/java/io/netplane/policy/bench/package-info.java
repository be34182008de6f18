/** The compile/memory/latency benchmark behind {@code bench/policy-operator.sh} (a command, not a test). */
package io.netplane.policy.bench;
