package io.netplane.ingress.gateway;

import io.vertx.core.MultiMap;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The headers a request or response carries across the proxy: hop-by-hop fields (RFC 9110 7.6.1, plus any
 * named in Connection) and HTTP/2 pseudo-headers are dropped; X-Forwarded-For gets the client address
 * appended; X-Forwarded-Proto/-Host/-Port and X-Real-IP describe what the client connected to.
 */
final class ForwardedHeaders {

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade",
            "http2-settings", StrictRequestDecoder.MARKER);

    private ForwardedHeaders() {
    }

    static MultiMap endToEnd(MultiMap in) {
        Set<String> drop = new TreeSet<>(HOP_BY_HOP);
        for (String connection : in.getAll("connection")) {
            for (String token : connection.split(",")) {
                drop.add(token.trim().toLowerCase(Locale.ROOT));
            }
        }
        MultiMap out = MultiMap.caseInsensitiveMultiMap();
        for (var entry : in) {
            String name = entry.getKey();
            if (!name.startsWith(":") && !drop.contains(name.toLowerCase(Locale.ROOT))) {
                out.add(name, entry.getValue());
            }
        }
        return out;
    }

    static MultiMap forRequest(MultiMap in, String clientAddress, String scheme, String hostHeader, int localPort) {
        MultiMap out = endToEnd(in);
        String prior = String.join(", ", out.getAll("x-forwarded-for"));
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
