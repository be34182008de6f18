package io.netplane.endpoints.reconciler;

import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Which failed API writes are dropped instead of retried. Upstream's EndpointSlice and Endpoints controllers drop a
 * Service whose namespace is being deleted: every create there keeps failing (the API server's NamespaceLifecycle
 * admission answers 403 with the cause {@value #NAMESPACE_TERMINATING}) until the namespace and the Service are gone.
 */
final class WriteFailures {
    static final String NAMESPACE_TERMINATING = "NamespaceTerminating";

    private WriteFailures() {
    }

    /** True when the failure says the namespace is terminating (upstream {@code errors.HasStatusCause}). */
    static boolean isNamespaceTerminating(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof KubernetesClientException e && e.getStatus() != null
                    && e.getStatus().getDetails() != null && e.getStatus().getDetails().getCauses() != null
                    && e.getStatus().getDetails().getCauses().stream()
                            .anyMatch(c -> NAMESPACE_TERMINATING.equals(c.getReason()))) {
                return true;
            }
        }
        return false;
    }
}
