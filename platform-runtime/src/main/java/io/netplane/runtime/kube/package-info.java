/** Kubernetes client plumbing: informers whose first list is retried until the API serves the kind. */
package io.netplane.runtime.kube;
