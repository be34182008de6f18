package io.netplane.ingress.routing;

import io.netplane.api.net.IpAddress;
import java.util.Locale;

/**
 * A parsed HTTP Host header (or HTTP/2 {@code :authority}): the lower-case name without its port or a single
 * trailing dot. {@link #parse} rejects what RFC 9110 does not allow as a host, so the gateway can answer 400.
 */
public record RequestHost(String name, Integer port) {

    /** Parses {@code value}; throws {@link IllegalArgumentException} with a reason a client can read. */
    public static RequestHost parse(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("empty Host header");
        }
        String host;
        String port = null;
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unterminated IPv6 literal in Host header");
            }
            host = value.substring(1, close);
            String rest = value.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("unexpected characters after IPv6 literal in Host header");
                }
                port = rest.substring(1);
            }
            try {
                IpAddress.parse(host);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("invalid IPv6 literal in Host header");
            }
            return new RequestHost("[" + host.toLowerCase(Locale.ROOT) + "]", parsePort(port));
        }
        int colon = value.indexOf(':');
        if (colon >= 0) {
            host = value.substring(0, colon);
            port = value.substring(colon + 1);
        } else {
            host = value;
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        validateName(host);
        return new RequestHost(host.toLowerCase(Locale.ROOT), parsePort(port));
    }

    private static Integer parsePort(String port) {
        if (port == null) {
            return null;
        }
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("invalid port in Host header");
        }
        int value = Integer.parseInt(port);
        if (value > 65535) {
            throw new IllegalArgumentException("port out of range in Host header");
        }
        return value;
    }

    /** Checks every dot-separated label in place (this runs on every request, so without splitting). */
    private static void validateName(String host) {
        if (host.isEmpty() || host.length() > 253) {
            throw new IllegalArgumentException("invalid host name length in Host header");
        }
        int labelStart = 0;
        for (int i = 0; i <= host.length(); i++) {
            if (i == host.length() || host.charAt(i) == '.') {
                int length = i - labelStart;
                if (length == 0 || length > 63) {
                    throw new IllegalArgumentException("empty or over-long label in Host header");
                }
                labelStart = i + 1;
                continue;
            }
            char c = host.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_';
            if (!ok) {
                throw new IllegalArgumentException("invalid character in Host header");
            }
        }
    }
}
