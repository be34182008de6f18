package io.netplane.endpoints.slicing;

import io.netplane.api.events.EndpointSliceView.EndpointPortView;
import io.netplane.api.events.PodView;
import io.netplane.api.events.PodView.ContainerPortView;
import io.netplane.api.events.ServiceView.ServicePortView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Resolves a Service's ports against one Pod (upstream {@code getEndpointPorts}/{@code FindPort}): a numeric
 * targetPort is taken as is, a named one is looked up among the Pod's container ports with the same protocol. A port
 * that resolves to nothing is left out of that Pod's port set; the caller reports it.
 */
public final class EndpointPorts {
    private static final Comparator<EndpointPortView> ORDER = Comparator
            .comparing((EndpointPortView p) -> p.name() == null ? "" : p.name())
            .thenComparing(p -> p.protocol() == null ? "" : p.protocol())
            .thenComparing(p -> p.port() == null ? -1 : p.port())
            .thenComparing(p -> p.appProtocol() == null ? "" : p.appProtocol());

    private EndpointPorts() {
    }

    /** The resolved ports plus the names of service ports that could not be resolved for this Pod. */
    public record Resolution(List<EndpointPortView> ports, List<String> unresolved) {
    }

    public static Resolution resolve(SliceService service, PodView pod) {
        List<EndpointPortView> ports = new ArrayList<>();
        List<String> unresolved = new ArrayList<>();
        if (service.ports().isEmpty() && "None".equals(service.clusterIP())) {
            return new Resolution(ports, unresolved);
        }
        for (ServicePortView sp : service.ports()) {
            String protocol = sp.protocol() == null ? "TCP" : sp.protocol();
            Integer number = find(pod, sp.targetPort(), protocol);
            if (number == null) {
                unresolved.add(portLabel(sp));
                continue;
            }
            ports.add(new EndpointPortView(sp.name() == null ? "" : sp.name(), protocol, number, sp.appProtocol()));
        }
        return new Resolution(ports, unresolved);
    }

    /** A port set in a canonical order, so that equal sets compare equal (upstream {@code NewPortMapKey}). */
    public static List<EndpointPortView> key(List<EndpointPortView> ports) {
        return ports.stream().map(EndpointPorts::normalized).sorted(ORDER).toList();
    }

    static EndpointPortView normalized(EndpointPortView p) {
        return new EndpointPortView(p.name() == null ? "" : p.name(), p.protocol() == null ? "TCP" : p.protocol(),
                p.port(), p.appProtocol());
    }

    private static Integer find(PodView pod, String targetPort, String protocol) {
        if (targetPort == null || targetPort.isEmpty()) {
            return null;
        }
        if (targetPort.chars().allMatch(Character::isDigit)) {
            return Integer.parseInt(targetPort);
        }
        for (ContainerPortView cp : pod.containerPorts()) {
            if (targetPort.equals(cp.name()) && Objects.equals(protocol, cp.protocol())) {
                return cp.containerPort();
            }
        }
        return null;
    }

    private static String portLabel(ServicePortView sp) {
        String name = sp.name() == null || sp.name().isEmpty() ? Integer.toString(sp.port()) : sp.name();
        return name + " (targetPort " + sp.targetPort() + "/" + (sp.protocol() == null ? "TCP" : sp.protocol()) + ")";
    }
}
