package io.netplane.install.model;

/**
 * A component's Deployment or DaemonSet cut down to what the status needs.
 *
 * @param found the workload exists
 * @param available Deployment: its Available condition is True; DaemonSet: every scheduled Pod is updated and
 *        available, and at least one is scheduled
 * @param rollingOut its controller has not caught up with its spec yet, or not every Pod is updated
 * @param detail what its controller reported, for messages
 */
public record WorkloadState(Component component, boolean found, boolean available, boolean rollingOut,
        String detail) {

    public static WorkloadState missing(Component component) {
        return new WorkloadState(component, false, false, false, "not found");
    }
}
