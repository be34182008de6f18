package io.netplane.install.model;

import io.netplane.api.names.KubernetesNames;
import io.netplane.api.net.IpAddress;
import java.util.Optional;

/** The syntax of one Kafka bootstrap server: {@code host:port}, the host a DNS name, an IPv4 or a bracketed IPv6. */
final class HostPort {
    private HostPort() {
    }

    /** Why {@code text} is not {@code host:port}, or empty when it is. */
    static Optional<String> check(String text) {
        if (text.isEmpty()) {
            return Optional.of("an entry is empty");
        }
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            return Optional.of("the port is missing");
        }
        String host = text.substring(0, colon);
        String port = text.substring(colon + 1);
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            return Optional.of("the port \"" + port + "\" is not a number from 1 to 65535");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            String v6 = host.substring(1, host.length() - 1);
            return v6.contains(":") && IpAddress.isValid(v6) ? Optional.empty()
                    : Optional.of("\"" + v6 + "\" is not an IPv6 address");
        }
        if (host.contains(":")) {
            return Optional.of("an IPv6 address is written in brackets, as [fd00::1]:9092");
        }
        if (host.matches("[0-9.]+")) {
            return IpAddress.isValid(host) ? Optional.empty() : Optional.of("\"" + host + "\" is not an IPv4 address");
        }
        return KubernetesNames.isDns1123Subdomain(host.toLowerCase()) ? Optional.empty()
                : Optional.of("\"" + host + "\" is not a host name");
    }
}
