/** Kubernetes shell: the Ingress reconciler, its edge cut-down of API objects, status and Event writers. */
package io.netplane.ingress.reconciler;
