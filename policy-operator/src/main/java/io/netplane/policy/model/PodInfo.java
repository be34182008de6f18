package io.netplane.policy.model;

import io.netplane.api.events.PodView.ContainerPortView;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Pod cut down to what policy needs: identity, labels, IPs, node, and declared container ports (named ports
 * resolve against them). Host-network Pods share the node's address and are neither selected nor matched by
 * selectors (as in most implementations; upstream leaves it undefined).
 */
public record PodInfo(String namespace, String name, Map<String, String> labels, List<String> ips,
        String nodeName, List<ContainerPortView> ports, boolean hostNetwork) {

    public PodInfo {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        ips = ips == null ? List.of() : List.copyOf(ips);
        ports = ports == null ? List.of() : List.copyOf(ports);
    }

    public String key() {
        return namespace + "/" + name;
    }

    /** The container port number declared under {@code portName} for {@code protocol}, if any. */
    public Optional<Integer> namedPort(String portName, Protocol protocol) {
        return ports.stream()
                .filter(p -> portName.equals(p.name()) && protocol.name().equals(p.protocol() == null || p.protocol().isEmpty() ? "TCP" : p.protocol()))
                .map(ContainerPortView::containerPort)
                .findFirst();
    }
}
