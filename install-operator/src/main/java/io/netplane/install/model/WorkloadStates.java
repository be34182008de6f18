package io.netplane.install.model;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.util.Objects;
import java.util.Optional;

/** Cuts Deployments and DaemonSets down to {@link WorkloadState}s, once, at the edge. */
public final class WorkloadStates {
    private WorkloadStates() {
    }

    /** {@code deployment} may be null (not found). */
    public static WorkloadState deployment(Component component, Deployment deployment) {
        if (deployment == null) {
            return WorkloadState.missing(component);
        }
        DeploymentStatus status = Objects.requireNonNullElseGet(deployment.getStatus(), DeploymentStatus::new);
        Optional<DeploymentCondition> available = status.getConditions().stream()
                .filter(c -> "Available".equals(c.getType())).findFirst();
        int wanted = Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 1);
        int updated = Objects.requireNonNullElse(status.getUpdatedReplicas(), 0);
        boolean rollingOut = behind(deployment.getMetadata().getGeneration(), status.getObservedGeneration())
                || updated < wanted;
        String detail = available.map(c -> c.getReason() + ": " + c.getMessage())
                .orElse("no Available condition reported yet");
        return new WorkloadState(component, true, available.map(c -> "True".equals(c.getStatus())).orElse(false),
                rollingOut, detail);
    }

    /** {@code daemonSet} may be null (not found). */
    public static WorkloadState daemonSet(Component component, DaemonSet daemonSet) {
        if (daemonSet == null) {
            return WorkloadState.missing(component);
        }
        DaemonSetStatus status = Objects.requireNonNullElseGet(daemonSet.getStatus(), DaemonSetStatus::new);
        int desired = Objects.requireNonNullElse(status.getDesiredNumberScheduled(), 0);
        int available = Objects.requireNonNullElse(status.getNumberAvailable(), 0);
        int updated = Objects.requireNonNullElse(status.getUpdatedNumberScheduled(), 0);
        boolean rollingOut = behind(daemonSet.getMetadata().getGeneration(), status.getObservedGeneration())
                || updated < desired;
        String detail = available + " of " + desired + " scheduled Pods available, " + updated + " updated";
        return new WorkloadState(component, true, desired > 0 && available == desired && updated == desired,
                rollingOut, detail);
    }

    private static boolean behind(Long generation, Long observed) {
        return generation != null && (observed == null || observed < generation);
    }
}
