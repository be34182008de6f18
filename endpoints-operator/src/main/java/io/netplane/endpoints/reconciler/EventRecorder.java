package io.netplane.endpoints.reconciler;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.netplane.endpoints.slicing.SliceEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Records core/v1 Events for what a user must see (bad input left out, hints disabled), once per object, reason and
 * message per {@link #REPEAT_AFTER}, so a Service reconciled on every Pod change does not flood the API. Every Event
 * is also logged with the object's key. A failure to record is logged, never thrown.
 */
final class EventRecorder {
    private static final Logger LOG = Logger.getLogger(EventRecorder.class);
    static final Duration REPEAT_AFTER = Duration.ofMinutes(10);
    static final String COMPONENT = "endpoints-operator";

    private final KubernetesClient client;
    private final Clock clock;
    private final Map<String, Instant> lastSent = new ConcurrentHashMap<>();

    EventRecorder(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    void record(SliceEvent e, String uid) {
        String dedup = e.kind() + "/" + e.namespace() + "/" + e.name() + "/" + e.reason() + "/" + e.message();
        Instant now = clock.instant();
        Instant previous = lastSent.get(dedup);
        if (previous != null && previous.plus(REPEAT_AFTER).isAfter(now)) {
            return;
        }
        if (lastSent.size() > 10_000) {
            lastSent.values().removeIf(t -> t.plus(REPEAT_AFTER).isBefore(now));
        }
        lastSent.put(dedup, now);
        LOG.warnf("%s %s/%s: %s: %s", e.kind(), e.namespace(), e.name(), e.reason(), e.message());
        String time = now.toString();
        try {
            client.v1().events().inNamespace(e.namespace()).resource(new EventBuilder()
                    .withNewMetadata().withNamespace(e.namespace())
                    .withName(e.name() + "." + UUID.randomUUID().toString().substring(0, 8)).endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion("v1").withKind(e.kind())
                            .withNamespace(e.namespace()).withName(e.name()).withUid(uid).build())
                    .withType(e.type()).withReason(e.reason()).withMessage(e.message())
                    .withNewSource().withComponent(COMPONENT).endSource()
                    .withReportingComponent(COMPONENT)
                    .withFirstTimestamp(time).withLastTimestamp(time).withCount(1)
                    .build()).create();
        } catch (KubernetesClientException ex) {
            LOG.warnf("cannot record Event %s for %s/%s: %s", e.reason(), e.namespace(), e.name(), ex.getMessage());
        }
    }
}
