package io.netplane.ingress.reconciler;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netplane.ingress.compile.Problem;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Emits a Warning Event on an Ingress for each thing the controller cannot serve, once per distinct problem
 * while it persists (a reconcile that finds the same problems again stays quiet).
 */
final class IngressEvents {
    private static final Logger LOG = Logger.getLogger(IngressEvents.class);
    static final String COMPONENT = "netplane-ingress-controller";

    private final KubernetesClient client;
    private final Clock clock;
    private final Map<String, Set<Problem>> reported = new ConcurrentHashMap<>();

    IngressEvents(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    void report(Ingress ingress, List<Problem> problems) {
        String key = ingress.getMetadata().getNamespace() + "/" + ingress.getMetadata().getName();
        Set<Problem> now = Set.copyOf(problems);
        Set<Problem> before = reported.getOrDefault(key, Set.of());
        for (Problem problem : problems.stream().distinct().collect(Collectors.toList())) {
            if (!before.contains(problem)) {
                emit(ingress, problem);
            }
        }
        if (now.isEmpty()) {
            reported.remove(key);
        } else {
            reported.put(key, now);
        }
    }

    void forget(String key) {
        reported.remove(key);
    }

    private void emit(Ingress ingress, Problem problem) {
        var meta = ingress.getMetadata();
        String now = clock.instant().toString();
        Event event = new EventBuilder()
                .withNewMetadata()
                .withGenerateName(meta.getName() + ".")
                .withNamespace(meta.getNamespace())
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion("networking.k8s.io/v1").withKind("Ingress")
                .withNamespace(meta.getNamespace()).withName(meta.getName()).withUid(meta.getUid())
                .withResourceVersion(meta.getResourceVersion())
                .endInvolvedObject()
                .withType("Warning")
                .withReason(problem.reason())
                .withMessage(problem.message())
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent(COMPONENT)
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .build();
        try {
            client.v1().events().inNamespace(meta.getNamespace()).resource(event).create();
        } catch (RuntimeException e) {
            LOG.warnf("cannot write Event %s for Ingress %s/%s: %s", problem.reason(), meta.getNamespace(),
                    meta.getName(), e.getMessage());
        }
        LOG.infof("Ingress %s/%s: %s: %s", meta.getNamespace(), meta.getName(), problem.reason(), problem.message());
    }
}
