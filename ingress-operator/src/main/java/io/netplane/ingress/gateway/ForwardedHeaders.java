package io.netplane.ingress.gateway;

import io.vertx.core.MultiMap;
import java.util.List;

/**
 * The headers a request or response carries across the proxy: hop-by-hop fields (RFC 9110 7.6.1, plus any
 * named in Connection) and HTTP/2 pseudo-headers are dropped; X-Forwarded-For gets the client address
 * appended; X-Forwarded-Proto/-Host/-Port and X-Real-IP describe what the client connected to.
 * Runs twice per proxied request, so it copies straight into the outgoing map and allocates nothing else
 * unless a Connection header names more fields.
 */
final class ForwardedHeaders {

    private static final String[] HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade",
            "http2-settings", StrictRequestDecoder.MARKER};

    private ForwardedHeaders() {
    }

    static MultiMap endToEnd(MultiMap in) {
        MultiMap out = MultiMap.caseInsensitiveMultiMap();
        copyEndToEnd(in, out);
        return out;
    }

    /** Adds the end-to-end fields of {@code in} to {@code out}. */
    static void copyEndToEnd(MultiMap in, MultiMap out) {
        // Connection is hop-by-hop itself; only when present can it name further fields to drop
        List<String> connection = in.contains("connection") ? in.getAll("connection") : List.of();
        for (var entry : in) {
            String name = entry.getKey();
            if (!name.isEmpty() && name.charAt(0) != ':' && !isHopByHop(name) && !named(connection, name)) {
                out.add(name, entry.getValue());
            }
        }
    }

    private static boolean isHopByHop(String name) {
        for (String h : HOP_BY_HOP) {
            if (h.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a Connection value lists {@code name} among its comma-separated tokens (scanned in place). */
    private static boolean named(List<String> connection, String name) {
        for (String value : connection) {
            int start = 0;
            while (start <= value.length()) {
                int comma = value.indexOf(',', start);
                int end = comma < 0 ? value.length() : comma;
                int from = start;
                int to = end;
                while (from < to && Character.isWhitespace(value.charAt(from))) {
                    from++;
                }
                while (to > from && Character.isWhitespace(value.charAt(to - 1))) {
                    to--;
                }
                if (to - from == name.length() && value.regionMatches(true, from, name, 0, name.length())) {
                    return true;
                }
                start = end + 1;
            }
        }
        return false;
    }

    static MultiMap forRequest(MultiMap in, String clientAddress, String scheme, String hostHeader, int localPort) {
        MultiMap out = endToEnd(in);
        String prior = out.contains("x-forwarded-for") ? String.join(", ", out.getAll("x-forwarded-for")) : "";
        out.set("x-forwarded-for", prior.isEmpty() ? clientAddress : prior + ", " + clientAddress);
        out.set("x-forwarded-proto", scheme);
        if (hostHeader != null) {
            out.set("x-forwarded-host", hostHeader);
            out.set("host", hostHeader);
        }
        out.set("x-forwarded-port", Integer.toString(localPort));
        out.set("x-real-ip", clientAddress);
        return out;
    }
}
