/**
 * Kubernetes shell: the informers, the Ingress keys a change concerns, the reconciler the control loop runs per key,
 * the edge cut-down of API objects and the status writer.
 */
package io.netplane.ingress.reconciler;
