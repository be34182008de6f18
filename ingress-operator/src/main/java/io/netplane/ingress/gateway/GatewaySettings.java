package io.netplane.ingress.gateway;

import io.netplane.ingress.tls.SecretRef;
import java.time.Duration;

/**
 * What the gateway listens on and how it proxies.
 *
 * @param httpsPort negative to serve no HTTPS
 * @param maxHeaderBytes the total size of the request line and headers above which a request gets 400
 * @param connectAttempts how many endpoints to try when connecting fails (each endpoint at most once)
 * @param responseTimeout how long a backend may stay silent before the request fails with 504
 * @param defaultCertificate the Secret served to clients without (matching) SNI; may be null
 * @param tlsReloadInterval how often referenced Secrets are re-read to pick up changes
 * @param cleartextHttp2 accept HTTP/2 without TLS (prior knowledge or h2c upgrade) on the HTTP port; when on,
 *     HTTP/1.1 requests there with both Content-Length and Transfer-Encoding are framed by Transfer-Encoding
 *     (RFC 9112 6.3) instead of refused, because Vert.x then decodes before the strict decoder can be installed
 * @param eventLoops how many event loops serve each listener (one server instance per loop)
 */
public record GatewaySettings(
        String host,
        int httpPort,
        int httpsPort,
        int maxHeaderBytes,
        int connectAttempts,
        Duration connectTimeout,
        Duration responseTimeout,
        boolean accessLog,
        SecretRef defaultCertificate,
        Duration tlsReloadInterval,
        boolean cleartextHttp2,
        int eventLoops) {

    public static GatewaySettings loopback() {
        return new GatewaySettings("127.0.0.1", 0, -1, 16 * 1024, 3, Duration.ofSeconds(2), Duration.ofSeconds(30),
                true, null, Duration.ofSeconds(10), false, 2);
    }

    public GatewaySettings withHttpsPort(int port) {
        return new GatewaySettings(host, httpPort, port, maxHeaderBytes, connectAttempts, connectTimeout,
                responseTimeout, accessLog, defaultCertificate, tlsReloadInterval, cleartextHttp2, eventLoops);
    }

    public GatewaySettings withTimeouts(Duration connect, Duration response) {
        return new GatewaySettings(host, httpPort, httpsPort, maxHeaderBytes, connectAttempts, connect, response,
                accessLog, defaultCertificate, tlsReloadInterval, cleartextHttp2, eventLoops);
    }

    public GatewaySettings withTls(SecretRef defaultCert, Duration reload) {
        return new GatewaySettings(host, httpPort, httpsPort, maxHeaderBytes, connectAttempts, connectTimeout,
                responseTimeout, accessLog, defaultCert, reload, cleartextHttp2, eventLoops);
    }

    public GatewaySettings withCleartextHttp2(boolean enabled) {
        return new GatewaySettings(host, httpPort, httpsPort, maxHeaderBytes, connectAttempts, connectTimeout,
                responseTimeout, accessLog, defaultCertificate, tlsReloadInterval, enabled, eventLoops);
    }
}
