package io.netplane.api.events;

import java.time.Instant;
import java.util.List;

/**
 * The routes one Ingress contributes to its class's route table. TLS entries carry Secret references only.
 *
 * @param ingressClassName the resolved class (from the field, the legacy annotation, or the default class)
 */
public record RouteView(
        String namespace,
        String name,
        String resourceVersion,
        Instant observedAt,
        String ingressClassName,
        BackendView defaultBackend,
        List<RuleView> rules,
        List<TlsView> tls) implements ContractEvent {

    public RouteView {
        rules = Lists.of(rules);
        tls = Lists.of(tls);
    }

    @Override
    public String key() {
        return ContractEvent.key(namespace, name);
    }

    /** A rule: a host (exact, {@code *.wildcard}, or null for any) and its paths. */
    public record RuleView(String host, List<PathView> paths) {
        public RuleView {
            paths = Lists.of(paths);
        }
    }

    /** A path with its type (Exact, Prefix, ImplementationSpecific) and backend. */
    public record PathView(String path, String pathType, BackendView backend) {
    }

    /**
     * A Service backend in the Ingress's namespace. {@code port} is the resolved Service port number when
     * known; {@code portName} is kept when the Ingress named the port.
     */
    public record BackendView(String service, Integer port, String portName) {
    }

    /** A TLS block: hosts and the name of the Secret in the Ingress's namespace. */
    public record TlsView(List<String> hosts, String secretName) {
        public TlsView {
            hosts = Lists.of(hosts);
        }
    }
}
