/**
 * The local cluster of {@code hack/cluster.sh} for end-to-end tests: kubelet nodes in network namespaces with
 * Netplane deployed on them as the cluster's networking. {@link io.netplane.testing.cluster.LocalCluster#shared()}
 * reuses a running cluster or brings one up (and takes it down when the JVM exits);
 * {@link io.netplane.testing.cluster.Netexec} talks to agnhost netexec Pods.
 */
package io.netplane.testing.cluster;
