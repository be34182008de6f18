package io.netplane.endpoints.reconciler;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.netplane.api.events.PodView;
import io.netplane.endpoints.legacy.EndpointsPlanner;
import io.netplane.endpoints.legacy.LegacyEndpoints;
import io.netplane.endpoints.slicing.SliceService;
import io.netplane.endpoints.views.LegacyInputs;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the legacy Endpoints object of a Service with a selector up to date (written only when it differs), and
 * deletes the ones it wrote when their Service is gone. Objects it writes carry {@value #MANAGED_BY_LABEL}, so a
 * user-made Endpoints object (the input of mirroring) is never touched.
 */
final class EndpointsWriter {
    static final String MANAGED_BY_LABEL = "endpoints.kubernetes.io/managed-by";

    private final KubernetesClient client;
    private final String managedBy;

    EndpointsWriter(KubernetesClient client, String managedBy) {
        this.client = client;
        this.managedBy = managedBy;
    }

    /** Returns the number of API writes made (0 or 1). */
    int sync(SliceService service, List<PodView> pods, Endpoints existing) {
        LegacyEndpoints planned = EndpointsPlanner.desired(service, pods);
        Map<String, String> labels = new HashMap<>(planned.labels());
        labels.put(MANAGED_BY_LABEL, managedBy);
        planned = new LegacyEndpoints(labels, planned.overCapacity(), planned.subsets());
        if (existing != null && LegacyInputs.from(existing).equals(planned)) {
            return 0;
        }
        var api = client.endpoints().inNamespace(service.namespace());
        Endpoints desired = LegacyInputs.to(service.namespace(), service.name(), existing, planned);
        if (existing == null) {
            api.resource(desired).create();
        } else {
            api.resource(desired).update();
        }
        return 1;
    }

    /**
     * Deletes the Endpoints of a Service that is gone (or turned ExternalName), if this operator wrote it. With no
     * cached copy the API is asked: the informer may not have seen an Endpoints object written just before.
     */
    int deleteIfOurs(String namespace, String name, Endpoints cached) {
        var resource = client.endpoints().inNamespace(namespace).withName(name);
        Endpoints existing = cached != null ? cached : resource.get();
        if (existing == null || existing.getMetadata().getLabels() == null
                || !managedBy.equals(existing.getMetadata().getLabels().get(MANAGED_BY_LABEL))) {
            return 0;
        }
        try {
            resource.delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
        return 1;
    }
}
