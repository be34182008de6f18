/** The Kubernetes-facing shell: informers over NetworkPolicy, Pod and Namespace, cut-down conversion, Events. */
package io.netplane.policy.reconciler;
