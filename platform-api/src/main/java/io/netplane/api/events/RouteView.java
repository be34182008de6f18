package io.netplane.api.events;

import java.time.Instant;
import java.util.List;

/**
 * The routes one Ingress contributes to its class's route table. TLS entries carry Secret references only.
 *
 * @param ingressClassName the resolved class (from the field, the legacy annotation, or the default class)
 * @param createdAt the Ingress's creationTimestamp: when two Ingresses of one class claim the same host and
 *     path, the older one wins (then the smaller {@code namespace/name}); null sorts as newest
 */
public record RouteView(
        String namespace,
        String name,
        String resourceVersion,
        Instant observedAt,
        String ingressClassName,
        BackendView defaultBackend,
        List<RuleView> rules,
        List<TlsView> tls,
        Instant createdAt) implements ContractEvent {

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
     * known; {@code portName} is the Service port's name as EndpointSlices carry it ({@code ""} for an unnamed
     * port) when the controller resolved it, else the name the Ingress gave, else null.
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
