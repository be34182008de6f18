package io.netplane.runtime.events;

import io.netplane.api.report.Problem;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one de-duplication rule of every operator's Events: an Event identical to one written for the same object
 * (same type, reason and message) within {@link #WINDOW} is not written again, unless the problem was resolved in
 * between, that is a later report of the object's problems no longer held it, or the object was forgotten. A
 * reconcile that finds the same problem on every Pod change stays quiet; a problem that comes back is told again.
 * Not thread-safe: {@link EventRecorder} holds its lock.
 */
final class EventDedup {
    static final Duration WINDOW = Duration.ofMinutes(10);
    private static final int PRUNE_ABOVE = 10_000;

    /** Per object key: each problem written and when. */
    private final Map<String, Map<Problem, Instant>> written = new HashMap<>();

    /** True when {@code problem} is to be written now; remembers it as written. */
    boolean admit(Subject subject, Problem problem, Instant now) {
        Map<Problem, Instant> byProblem = written.computeIfAbsent(identity(subject), k -> new HashMap<>());
        Instant last = byProblem.get(problem);
        if (last != null && last.plus(WINDOW).isAfter(now)) {
            return false;
        }
        byProblem.put(problem, now);
        if (written.size() > PRUNE_ABOVE) {
            prune(now);
        }
        return true;
    }

    /** The problem was not written after all (the API refused it): the next report of it is written. */
    void unadmit(Subject subject, Problem problem) {
        Map<Problem, Instant> byProblem = written.get(identity(subject));
        if (byProblem != null) {
            byProblem.remove(problem);
        }
    }

    /** The object's problems are now exactly {@code current}: any other is resolved and would be told again. */
    void resolveAllBut(Subject subject, List<Problem> current) {
        Map<Problem, Instant> byProblem = written.get(identity(subject));
        if (byProblem != null) {
            byProblem.keySet().retainAll(current);
            if (byProblem.isEmpty()) {
                written.remove(identity(subject));
            }
        }
    }

    void forget(Subject subject) {
        written.remove(identity(subject));
    }

    int size() {
        return written.size();
    }

    private void prune(Instant now) {
        written.values().forEach(m -> m.values().removeIf(t -> !t.plus(WINDOW).isAfter(now)));
        written.values().removeIf(Map::isEmpty);
    }

    /** By kind and key, not uid: a re-created object with the same name is the same subject to its user. */
    private static String identity(Subject s) {
        return s.kind() + "/" + s.key();
    }
}
