package io.netplane.runtime.events;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netplane.api.report.Problem;
import io.netplane.runtime.control.ControlLoop;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records core/v1 Events on the objects a user looks at, for every operator: {@link Problem}s on a {@link Subject},
 * de-duplicated by the one rule of {@link EventDedup}. Each Event is also logged with the object's key. A failure to
 * write one is logged, never thrown: an Event is a report, not state.
 */
public final class EventRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
    static final int MAX_MESSAGE = 1024;

    private final KubernetesClient client;
    private final String component;
    private final String instance;
    private final Clock clock;
    private final EventDedup dedup = new EventDedup();

    /**
     * @param component the {@code source.component} and {@code reportingComponent} of every Event
     * @param instance the {@code reportingInstance} (the Pod's name), or null
     */
    public EventRecorder(KubernetesClient client, String component, String instance, Clock clock) {
        this.client = client;
        this.component = component;
        this.instance = instance;
        this.clock = clock;
    }

    /** Records {@code problem} on {@code subject} unless the same was recorded within the window. */
    public void record(Subject subject, Problem problem) {
        Instant now = clock.instant();
        synchronized (dedup) {
            if (!dedup.admit(subject, problem, now)) {
                return;
            }
        }
        writeAdmitted(subject, problem, problem, now);
    }

    /**
     * The object's problems as of now: records those not recorded within the window, and takes every other as
     * resolved, so that it is recorded again should it come back. That includes a {@link #warnAfter} failure, so a
     * reconcile reports once its writes are done: a report means the object reconciled.
     */
    public void report(Subject subject, List<Problem> problems) {
        synchronized (dedup) {
            dedup.resolveAllBut(subject, problems);
        }
        problems.stream().distinct().forEach(p -> record(subject, p));
    }

    /** The object is gone or has no problem left: whatever comes next is recorded afresh. */
    public void forget(Subject subject) {
        synchronized (dedup) {
            dedup.forget(subject);
        }
    }

    /**
     * A {@link ControlLoop} failure listener that records a Warning with {@code reason} on the key's object from the
     * {@code attempts}-th failed attempt on (upstream's {@code FailedToUpdateEndpointSlices}): a write that keeps
     * failing shows on the object, not only in the log. Error messages differ from one attempt to the next (a
     * generated name, a resourceVersion), so these Warnings are de-duplicated by object and reason alone: one per
     * window while the failures go on, and one again after a {@link #report} without it or a {@link #forget}.
     */
    public ControlLoop.FailureListener warnAfter(int attempts, String reason,
            Function<String, Optional<Subject>> subjectOf) {
        Problem token = Problem.warning(reason, ""); // a bad reason fails here, at wiring, not at the first failure
        return (key, n, error) -> {
            if (n < attempts) {
                return;
            }
            subjectOf.apply(key).ifPresent(s -> {
                Instant now = clock.instant();
                synchronized (dedup) {
                    if (!dedup.admit(s, token, now)) {
                        return;
                    }
                }
                writeAdmitted(s, token, Problem.warning(reason, "reconciling " + s.kind() + " " + s.key()
                        + " failed: " + error.getMessage()), now);
            });
        };
    }

    /** Writes {@code problem}, admitted as {@code admitted}; one the API refused is not remembered as written. */
    private void writeAdmitted(Subject subject, Problem admitted, Problem problem, Instant now) {
        if (!write(subject, problem, now)) {
            synchronized (dedup) {
                dedup.unadmit(subject, admitted);
            }
        }
    }

    /** Writes the Event; false when the API refused it (logged). */
    private boolean write(Subject subject, Problem problem, Instant now) {
        String message = problem.message().length() > MAX_MESSAGE
                ? problem.message().substring(0, MAX_MESSAGE - 3) + "..." : problem.message();
        if (problem.type() == Problem.Type.Warning) {
            LOG.warn("{} {}: {}: {}", subject.kind(), subject.key(), problem.reason(), message);
        } else {
            LOG.info("{} {}: {}: {}", subject.kind(), subject.key(), problem.reason(), message);
        }
        String time = now.toString();
        try {
            client.v1().events().inNamespace(subject.eventNamespace()).resource(new EventBuilder()
                    .withNewMetadata().withNamespace(subject.eventNamespace())
                    .withGenerateName(subject.name() + ".").endMetadata()
                    .withNewInvolvedObject().withApiVersion(subject.apiVersion()).withKind(subject.kind())
                    .withNamespace(subject.namespace()).withName(subject.name()).withUid(subject.uid())
                    .endInvolvedObject()
                    .withType(problem.type().name()).withReason(problem.reason()).withMessage(message)
                    .withNewSource().withComponent(component).endSource()
                    .withReportingComponent(component).withReportingInstance(instance)
                    .withFirstTimestamp(time).withLastTimestamp(time).withCount(1)
                    .build()).create();
            return true;
        } catch (RuntimeException e) {
            LOG.warn("cannot record Event {} on {} {}: {}", problem.reason(), subject.kind(), subject.key(),
                    e.getMessage());
            return false;
        }
    }
}
