package io.netplane.install.model;

import io.fabric8.kubernetes.api.model.Condition;
import io.netplane.api.report.Problem;
import java.time.Instant;
import java.util.List;

/**
 * What the status is planned from.
 *
 * @param specProblems the validator's problems; the spec is valid when empty
 * @param problems what else is wrong that the user must fix (a missing webhook certificate)
 * @param workloads one state per {@link Component}
 * @param previous the conditions the object has now, for their {@code lastTransitionTime}
 */
public record StatusInput(
        long generation,
        String namespace,
        List<Problem> specProblems,
        List<Problem> problems,
        List<WorkloadState> workloads,
        boolean strimziInstalled,
        List<Condition> previous,
        Instant now) {

    public StatusInput {
        specProblems = List.copyOf(specProblems);
        problems = List.copyOf(problems);
        workloads = List.copyOf(workloads);
        previous = previous == null ? List.of() : List.copyOf(previous);
    }
}
