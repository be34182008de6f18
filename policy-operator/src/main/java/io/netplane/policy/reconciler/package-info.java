/**
 * The Kubernetes-facing shell: informers over NetworkPolicy, Pod and Namespace queueing keys on the shared control
 * loop, cut-down conversion ({@code PolicyInputs}), Events through the shared recorder.
 */
package io.netplane.policy.reconciler;
