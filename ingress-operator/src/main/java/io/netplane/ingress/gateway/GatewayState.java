package io.netplane.ingress.gateway;

import io.netplane.ingress.endpoints.EndpointTable;
import io.netplane.ingress.routing.RouteTable;
import io.netplane.ingress.tls.SecretRef;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The tables the gateway serves from, swapped whole: request handling reads one consistent snapshot while
 * the feed builds the next.
 */
public final class GatewayState {

    /**
     * Routes, endpoints, the TLS Secrets to load and the host each Secret serves, all of one moment.
     *
     * @param defaultCertificate the Secret for handshakes without a bound host; null means the first loaded
     */
    public record Snapshot(RouteTable routes, EndpointTable endpoints, List<SecretRef> tlsSecrets,
            Map<String, SecretRef> tlsHosts, SecretRef defaultCertificate) {
    }

    private final AtomicReference<Snapshot> current;

    public GatewayState(Snapshot initial) {
        this.current = new AtomicReference<>(initial);
    }

    public Snapshot get() {
        return current.get();
    }

    public void set(Snapshot snapshot) {
        current.set(snapshot);
    }
}
