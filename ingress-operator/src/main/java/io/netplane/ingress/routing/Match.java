package io.netplane.ingress.routing;

/** What {@link RouteTable#lookup} decided for one request. */
public sealed interface Match {

    /**
     * The request goes to {@code backend}.
     *
     * @param via what selected it: {@code rule} (a host/path rule), {@code ingress-default} (an Ingress's
     *     defaultBackend), or {@code default} (the gateway's configured default backend)
     * @param origin the Ingress the rule or default came from; null for the configured default
     */
    record Routed(Backend backend, String via, Origin origin) implements Match {
    }

    /** Nothing matched and there is no default backend: the gateway answers 404. */
    record NotFound() implements Match {
    }
}
