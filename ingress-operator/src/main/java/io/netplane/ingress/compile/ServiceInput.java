package io.netplane.ingress.compile;

import java.util.List;

/** A Service cut down to its type and ports, for resolving Ingress backend ports. */
public record ServiceInput(String namespace, String name, String type, List<PortInput> ports) {

    public ServiceInput {
        ports = ports == null ? List.of() : List.copyOf(ports);
    }

    /** A Service port; {@code name} is "" when unnamed. */
    public record PortInput(String name, int port, String protocol) {
    }
}
