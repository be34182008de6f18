package io.netplane.ingress.gateway;

import io.netplane.ingress.routing.RequestHost;
import io.netplane.ingress.routing.RequestPath;
import java.util.List;

/**
 * Decides whether a request may be routed at all: a request that fails here gets 400 and never reaches a
 * backend. Checks: exactly one Host (required from HTTP/1.1 on; HTTP/2's {@code :authority} counts), a
 * well-formed host, a request line plus headers no larger than the limit, not both Content-Length and
 * Transfer-Encoding (RFC 9112 6.3: a request smuggling vector), and a path-shaped request target.
 */
public final class RequestGuard {
    private RequestGuard() {
    }

    /** A routable request's parsed host (null when an HTTP/1.0 request had none) and normalised path. */
    public record Accepted(RequestHost host, String path) {
    }

    /**
     * @param hosts every Host value the request carried (for HTTP/2, the authority)
     * @param headerBytes the size of the request line and header fields
     * @param conflictingFraming Content-Length and Transfer-Encoding were both sent
     * @return the accepted request; throws {@link IllegalArgumentException} with the reason to answer 400 with
     */
    public static Accepted check(boolean http10, List<String> hosts, int headerBytes, int maxHeaderBytes,
            boolean conflictingFraming, String target) {
        if (headerBytes > maxHeaderBytes) {
            throw new IllegalArgumentException("request headers too large (" + headerBytes + " bytes, limit "
                    + maxHeaderBytes + ")");
        }
        if (conflictingFraming) {
            throw new IllegalArgumentException("both Content-Length and Transfer-Encoding present");
        }
        RequestHost host = null;
        if (hosts.size() > 1) {
            throw new IllegalArgumentException("more than one Host header");
        }
        if (hosts.isEmpty()) {
            if (!http10) {
                throw new IllegalArgumentException("missing Host header");
            }
        } else {
            host = RequestHost.parse(hosts.get(0));
        }
        return new Accepted(host, RequestPath.normalize(target));
    }
}
