package io.netplane.ingress.routing;

import io.netplane.api.events.RouteView.BackendView;

/**
 * A Service port that a request is sent to. {@code portName} is the Service port's name as EndpointSlices
 * carry it ({@code ""} when unnamed); null when the controller could not resolve it.
 */
public record Backend(String namespace, String service, Integer port, String portName) {

    public static Backend of(String namespace, BackendView view) {
        return view == null || view.service() == null ? null
                : new Backend(namespace, view.service(), view.port(), view.portName());
    }

    /** {@code namespace/service:port} for logs and error bodies. */
    public String describe() {
        String p = portName != null && !portName.isEmpty() ? portName : port == null ? "?" : port.toString();
        return namespace + "/" + service + ":" + p;
    }
}
