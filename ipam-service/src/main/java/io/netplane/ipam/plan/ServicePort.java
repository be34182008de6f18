package io.netplane.ipam.plan;

/** A Service port as allocation sees it; {@code nodePort} 0 means unset. */
public record ServicePort(String name, String protocol, int port, int nodePort) {
    public ServicePort {
        name = name == null ? "" : name;
        protocol = protocol == null || protocol.isEmpty() ? "TCP" : protocol;
    }

    public ServicePort withNodePort(int np) {
        return new ServicePort(name, protocol, port, np);
    }
}
