/** Lease-based leader election shared by the operators, with readiness and metrics for "no leader". */
package io.netplane.runtime.leader;
