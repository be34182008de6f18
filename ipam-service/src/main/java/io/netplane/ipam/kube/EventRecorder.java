package io.netplane.ipam.kube;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import org.jboss.logging.Logger;

/** Writes core/v1 Events about the objects a user must look at (conflicts, exhausted pools, invalid pools). */
public final class EventRecorder {
    private static final Logger LOG = Logger.getLogger(EventRecorder.class);
    private final KubernetesClient client;
    private final Clock clock;

    public EventRecorder(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    public void warning(HasMetadata about, String reason, String message) {
        String ns = about.getMetadata().getNamespace() == null ? "default" : about.getMetadata().getNamespace();
        String now = Instant.now(clock).toString();
        try {
            client.v1().events().inNamespace(ns).resource(new EventBuilder()
                    .withNewMetadata().withGenerateName(about.getMetadata().getName() + ".").withNamespace(ns)
                    .endMetadata()
                    .withNewInvolvedObject().withApiVersion(about.getApiVersion()).withKind(about.getKind())
                    .withNamespace(about.getMetadata().getNamespace()).withName(about.getMetadata().getName())
                    .withUid(about.getMetadata().getUid()).endInvolvedObject()
                    .withType("Warning").withReason(reason).withMessage(message)
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                    .withNewSource().withComponent("ipam-service").endSource()
                    .build()).create();
        } catch (KubernetesClientException e) {
            LOG.warnf("could not record event %s on %s/%s: %s", reason, ns, about.getMetadata().getName(),
                    e.getMessage());
        }
        LOG.warnf("%s %s/%s: %s", reason, ns, about.getMetadata().getName(), message);
    }
}
