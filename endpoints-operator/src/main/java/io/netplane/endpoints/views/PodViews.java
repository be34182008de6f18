package io.netplane.endpoints.views;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.netplane.api.events.PodView;
import io.netplane.api.events.PodView.ContainerPortView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a fabric8 {@link Pod} down to the {@link PodView} of the contract. {@code ready} is the Pod's
 * {@code Ready} condition; Pod IPs are canonical and invalid ones are left out (the slice controller reports them).
 */
public final class PodViews {
    private PodViews() {
    }

    public static PodView from(Pod pod, Instant observedAt) {
        var meta = pod.getMetadata();
        PodSpec spec = pod.getSpec() == null ? new PodSpec() : pod.getSpec();
        PodStatus status = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
        return new PodView(
                meta.getNamespace(),
                meta.getName(),
                meta.getUid(),
                meta.getResourceVersion(),
                observedAt,
                spec.getNodeName(),
                status.getPhase(),
                Addresses.canonical(rawIPs(status)),
                Boolean.TRUE.equals(spec.getHostNetwork()),
                spec.getHostname(),
                spec.getSubdomain(),
                isReady(status),
                meta.getDeletionTimestamp() != null,
                meta.getLabels(),
                containerPorts(spec));
    }

    /** {@code status.podIPs}, or {@code status.podIP} for objects written before dual-stack. */
    public static List<String> rawIPs(PodStatus status) {
        if (status.getPodIPs() != null && !status.getPodIPs().isEmpty()) {
            return status.getPodIPs().stream().map(PodIP::getIp).toList();
        }
        return status.getPodIP() == null || status.getPodIP().isEmpty() ? List.of() : List.of(status.getPodIP());
    }

    static boolean isReady(PodStatus status) {
        return status.getConditions() != null && status.getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** The Ready condition's {@code lastTransitionTime} (the Pod's endpoint trigger time upstream), or null. */
    public static Instant readySince(PodStatus status) {
        if (status == null || status.getConditions() == null) {
            return null;
        }
        return status.getConditions().stream()
                .filter(c -> "Ready".equals(c.getType()) && c.getLastTransitionTime() != null)
                .map(c -> parseTime(c.getLastTransitionTime())).filter(java.util.Objects::nonNull)
                .findFirst().orElse(null);
    }

    private static Instant parseTime(String rfc3339) {
        try {
            return java.time.OffsetDateTime.parse(rfc3339).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /** Ports of the app containers and of restartable (sidecar) init containers, which named targetPorts resolve against. */
    static List<ContainerPortView> containerPorts(PodSpec spec) {
        List<ContainerPortView> out = new ArrayList<>();
        List<Container> containers = new ArrayList<>();
        if (spec.getContainers() != null) {
            containers.addAll(spec.getContainers());
        }
        if (spec.getInitContainers() != null) {
            spec.getInitContainers().stream().filter(c -> "Always".equals(c.getRestartPolicy())).forEach(containers::add);
        }
        for (Container c : containers) {
            if (c.getPorts() == null) {
                continue;
            }
            for (ContainerPort p : c.getPorts()) {
                if (p.getContainerPort() != null) {
                    out.add(new ContainerPortView(p.getName(), p.getContainerPort(),
                            p.getProtocol() == null ? "TCP" : p.getProtocol()));
                }
            }
        }
        return out;
    }
}
