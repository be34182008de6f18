package io.netplane.policy.model;

import io.netplane.api.names.KubernetesNames;

/**
 * The port of an explain query: a number, or a name resolved against the destination Pod's container ports for the
 * protocol, as a NetworkPolicy's named port is. Either the port or the reason it cannot be had.
 */
public record DestinationPort(int port, String problem) {

    /**
     * @param text the query's {@code port}: {@code 1}–{@code 65535} or an IANA_SVC_NAME
     * @param server the destination; a named port needs it to be a Pod
     */
    public static DestinationPort resolve(String text, Protocol protocol, Endpoint server) {
        if (text == null || text.isBlank()) {
            return problem("query parameter \"port\" is required: a number or a container port name");
        }
        String t = text.trim();
        if (t.chars().allMatch(Character::isDigit)) {
            long n = t.length() > 6 ? Long.MAX_VALUE : Long.parseLong(t);
            return n >= 1 && n <= 65535 ? new DestinationPort((int) n, null)
                    : problem("port " + t + " must be between 1 and 65535, inclusive");
        }
        if (!KubernetesNames.isPortName(t)) {
            return problem("port \"" + t + "\" is neither a number nor a valid port name");
        }
        if (server.pod() == null) {
            return problem("named port \"" + t + "\" needs a Pod destination; " + server.describe()
                    + " is an outside address");
        }
        return server.pod().namedPort(t, protocol).map(p -> new DestinationPort(p, null))
                .orElseGet(() -> problem("Pod " + server.describe() + " has no container port named \"" + t
                        + "\" for " + protocol.name()));
    }

    private static DestinationPort problem(String reason) {
        return new DestinationPort(0, reason);
    }
}
