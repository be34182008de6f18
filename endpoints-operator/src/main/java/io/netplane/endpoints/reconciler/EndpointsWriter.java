package io.netplane.endpoints.reconciler;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.netplane.endpoints.legacy.EndpointsPlan;
import io.netplane.endpoints.views.LegacyInputs;

/** Applies an {@link EndpointsPlan} to a Service's core/v1 Endpoints object; decides nothing. */
final class EndpointsWriter {
    private final KubernetesClient client;

    EndpointsWriter(KubernetesClient client) {
        this.client = client;
    }

    /**
     * @param existing the object the plan was made from (its other metadata is kept on update), or null
     * @return the number of API writes made (0 or 1)
     */
    int apply(String namespace, String name, EndpointsPlan plan, Endpoints existing) {
        var api = client.endpoints().inNamespace(namespace);
        switch (plan.op()) {
            case CREATE -> api.resource(LegacyInputs.to(namespace, name, null, plan.endpoints())).create();
            case UPDATE -> api.resource(LegacyInputs.to(namespace, name, existing, plan.endpoints())).update();
            case DELETE -> {
                try {
                    api.withName(name).delete();
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 404) {
                        throw e;
                    }
                }
            }
            case NOTHING -> {
                return 0;
            }
        }
        return 1;
    }

    /**
     * The Endpoints object of a Service that may have to go: the cached copy, else the API's, since the informer may
     * not have seen an Endpoints object written just before.
     */
    Endpoints current(String namespace, String name, Endpoints cached) {
        return cached != null ? cached : client.endpoints().inNamespace(namespace).withName(name).get();
    }
}
