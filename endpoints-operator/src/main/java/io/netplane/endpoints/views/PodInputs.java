package io.netplane.endpoints.views;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.netplane.api.events.PodView;
import io.netplane.api.events.PodView.ContainerPortView;
import io.netplane.api.net.IpAddress;
import io.netplane.api.report.Problem;
import io.netplane.endpoints.slicing.SlicePod;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Cuts a fabric8 {@link Pod} down, once, at the edge: to the {@link PodView} of the contract, to the slice
 * controller's {@link SlicePod}, and to the few fields of a Pod the informer keeps ({@link #trim}). {@code ready} is
 * the Pod's {@code Ready} condition; Pod IPs are canonical and invalid ones are left out ({@link #invalidIPs} reports
 * them).
 */
public final class PodInputs {
    public static final String INVALID_POD_IP = "InvalidPodIP";

    private PodInputs() {
    }

    /** The slice controller's Pod: its view (without an observed time) and its Ready transition time. */
    public static SlicePod slicePod(Pod pod) {
        return new SlicePod(from(pod, null), readySince(pod.getStatus()));
    }

    /**
     * The Pod with only the fields {@link #from} and {@link #slicePod} read, which is all that the informer's cache
     * keeps: no managed fields, images, environment, volumes or the like, a fraction of a full Pod. Ask before reading
     * another field of a Pod anywhere in this operator: it has to be kept here too (the informer hands cached copies to
     * every handler at its first sync).
     */
    public static Pod trim(Pod pod) {
        var meta = pod.getMetadata();
        PodSpec spec = pod.getSpec() == null ? new PodSpec() : pod.getSpec();
        PodStatus status = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
        return new PodBuilder()
                .withNewMetadata().withNamespace(meta.getNamespace()).withName(meta.getName()).withUid(meta.getUid())
                .withResourceVersion(meta.getResourceVersion()).withLabels(meta.getLabels())
                .withDeletionTimestamp(meta.getDeletionTimestamp()).endMetadata()
                .withNewSpec().withNodeName(spec.getNodeName()).withHostNetwork(spec.getHostNetwork())
                .withHostname(spec.getHostname()).withSubdomain(spec.getSubdomain())
                .withContainers(portsOnly(spec.getContainers())).withInitContainers(portsOnly(spec.getInitContainers()))
                .endSpec()
                .withNewStatus().withPhase(status.getPhase()).withPodIP(status.getPodIP()).withPodIPs(status.getPodIPs())
                .withConditions(status.getConditions() == null ? null : status.getConditions().stream()
                        .filter(c -> "Ready".equals(c.getType()))
                        .map(c -> new PodConditionBuilder().withType(c.getType()).withStatus(c.getStatus())
                                .withLastTransitionTime(c.getLastTransitionTime()).build())
                        .toList())
                .endStatus()
                .build();
    }

    private static List<Container> portsOnly(List<Container> containers) {
        return containers == null ? null : containers.stream()
                .map(c -> new ContainerBuilder().withName(c.getName()).withRestartPolicy(c.getRestartPolicy())
                        .withPorts(c.getPorts()).build())
                .toList();
    }

    /** The bad input of a Pod: IPs in its status that are no IP address (left out of every view). */
    public static Optional<Problem> invalidIPs(Pod pod) {
        if (pod.getStatus() == null) {
            return Optional.empty();
        }
        List<String> invalid = rawIPs(pod.getStatus()).stream().filter(ip -> !IpAddress.isValid(ip)).toList();
        return invalid.isEmpty() ? Optional.empty() : Optional.of(Problem.warning(INVALID_POD_IP, "Pod IP "
                + String.join(", ", invalid) + " is not a valid IP address; it is left out of every EndpointSlice"));
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
