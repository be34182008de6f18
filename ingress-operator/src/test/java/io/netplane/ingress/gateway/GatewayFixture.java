package io.netplane.ingress.gateway;

import io.netplane.api.events.EndpointSliceView;
import io.netplane.api.events.EndpointSliceView.EndpointPortView;
import io.netplane.api.events.EndpointSliceView.EndpointView;
import io.netplane.api.events.RouteView;
import io.netplane.api.events.RouteView.BackendView;
import io.netplane.api.events.RouteView.PathView;
import io.netplane.api.events.RouteView.RuleView;
import io.netplane.api.events.RouteView.TlsView;
import io.netplane.ingress.endpoints.EndpointTable;
import io.netplane.ingress.routing.Backend;
import io.netplane.ingress.routing.RouteTable;
import io.netplane.ingress.tls.TlsRefs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds gateway snapshots from route and slice views the way the Kafka feed does. */
final class GatewayFixture {
    private GatewayFixture() {
    }

    static RouteView route(String name, String host, String pathType, String path, String service) {
        return route(name, host, pathType, path, service, List.of());
    }

    static RouteView route(String name, String host, String pathType, String path, String service, List<TlsView> tls) {
        return new RouteView("shop", name, "1", Instant.EPOCH, "netplane", null,
                List.of(new RuleView(host, List.of(new PathView(path, pathType, new BackendView(service, 80, "http"))))),
                tls, Instant.EPOCH);
    }

    static EndpointView ready(String address) {
        return new EndpointView(List.of(address), true, true, false, null, null, null, null, null, null);
    }

    static EndpointView notReady(String address) {
        return new EndpointView(List.of(address), false, false, true, null, null, null, null, null, null);
    }

    /** One slice per (port, ready) endpoint: each test backend has its own port, as pods on one node would not. */
    static List<EndpointSliceView> slices(String service, List<Integer> readyPorts, List<Integer> notReadyPorts) {
        List<EndpointSliceView> out = new ArrayList<>();
        for (int port : readyPorts) {
            out.add(new EndpointSliceView("shop", service + "-" + port, "1", null, service, "IPv4", "test",
                    List.of(new EndpointPortView("http", "TCP", port, null)), List.of(ready("127.0.0.1"))));
        }
        for (int port : notReadyPorts) {
            out.add(new EndpointSliceView("shop", service + "-nr-" + port, "1", null, service, "IPv4", "test",
                    List.of(new EndpointPortView("http", "TCP", port, null)), List.of(notReady("127.0.0.1"))));
        }
        return out;
    }

    static GatewayState.Snapshot snapshot(List<RouteView> routes, List<EndpointSliceView> slices, Backend configuredDefault) {
        return snapshot(routes, slices, configuredDefault, null);
    }

    static GatewayState.Snapshot snapshot(List<RouteView> routes, List<EndpointSliceView> slices, Backend configuredDefault,
            io.netplane.ingress.tls.SecretRef defaultCertificate) {
        return new GatewayState.Snapshot(RouteTable.build(routes, configuredDefault), EndpointTable.build(slices),
                TlsRefs.of(routes, defaultCertificate), TlsRefs.hosts(routes), defaultCertificate);
    }
}
