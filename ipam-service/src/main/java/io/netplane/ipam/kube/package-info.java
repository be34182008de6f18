/** The Kubernetes shell: cuts Services down at the edge, watches Services and Nodes, runs the repair loop, writes Events. */
package io.netplane.ipam.kube;
