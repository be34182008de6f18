package io.netplane.policy.model;

/**
 * A validated port of a rule. {@code port == null && name == null} matches every port of the protocol; a name
 * is resolved against the destination Pod's container ports (a destination that is not a Pod, or that has no
 * such port, does not match).
 */
public record PortMatch(Protocol protocol, Integer port, Integer endPort, String name) {

    public boolean matches(int dport, Protocol proto, PodInfo destination) {
        if (proto != protocol) {
            return false;
        }
        if (name != null) {
            return destination != null && destination.namedPort(name, protocol).map(p -> p == dport).orElse(false);
        }
        if (port == null) {
            return true;
        }
        int end = endPort == null ? port : endPort;
        return dport >= port && dport <= end;
    }

    public String describe() {
        String what = name != null ? name : port == null ? "*" : endPort == null ? port.toString() : port + "-" + endPort;
        return protocol + "/" + what;
    }
}
