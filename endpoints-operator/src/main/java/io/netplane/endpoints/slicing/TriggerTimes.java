package io.netplane.endpoints.slicing;

import java.time.Instant;
import java.util.Map;

/**
 * The {@code endpoints.kubernetes.io/last-change-trigger-time} of a Service's slices (upstream
 * {@code TriggerTimeTracker}): the time of the earliest change, since the last sync, among the trigger times of the
 * Service (its creation) and of its Pods (their Ready condition's last transition). The first sync of a Service
 * takes its creation time. Consumers (kube-proxy and Netplane's node-proxy) measure network programming latency
 * from it.
 */
public final class TriggerTimes {
    private TriggerTimes() {
    }

    /** The trigger times seen at the last sync of one Service. */
    public record State(Instant service, Map<String, Instant> pods) {
        public State {
            pods = Map.copyOf(pods);
        }
    }

    /**
     * @param triggerTime the annotation's value; null when nothing changed since the last sync (the annotation is
     *        then removed from the slices written, as upstream)
     */
    public record Result(Instant triggerTime, State next) {
    }

    /**
     * @param previous the state after the last sync, or null for a Service not synced before
     * @param serviceCreated the Service's creationTimestamp
     * @param podReady the Ready condition's last transition time of each selected Pod that has one, by Pod name
     */
    public static Result compute(State previous, Instant serviceCreated, Map<String, Instant> podReady) {
        State next = new State(serviceCreated, podReady);
        if (previous == null) {
            return new Result(serviceCreated, next);
        }
        Instant min = null;
        for (Map.Entry<String, Instant> e : podReady.entrySet()) {
            Instant before = previous.pods().get(e.getKey());
            if (before == null || e.getValue().isAfter(before)) {
                min = earliest(min, e.getValue());
            }
        }
        if (serviceCreated != null && (previous.service() == null || serviceCreated.isAfter(previous.service()))) {
            min = earliest(min, serviceCreated);
        }
        return new Result(min, next);
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }
}
