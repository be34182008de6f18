/** The policy operator: compiles NetworkPolicies into address sets and rules on Kafka, and explains reachability. */
package io.netplane.policy;
