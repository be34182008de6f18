package io.netplane.dns.records;

import io.netplane.api.events.EndpointSliceView;
import io.netplane.api.events.EndpointSliceView.EndpointPortView;
import io.netplane.api.events.EndpointSliceView.EndpointView;
import io.netplane.api.events.PodView;
import io.netplane.api.events.ServiceView;
import io.netplane.api.events.ServiceView.ServicePortView;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Compact constructors of contract views for tests: only the fields DNS reads are parameters. */
public final class Views {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private Views() {
    }

    public static ServiceView clusterIp(String ns, String name, List<String> ips, ServicePortView... ports) {
        return service(ns, name, "ClusterIP", ips, false, null, false, ports);
    }

    public static ServiceView headless(String ns, String name, boolean publishNotReady, ServicePortView... ports) {
        return service(ns, name, "ClusterIP", List.of(), true, null, publishNotReady, ports);
    }

    public static ServiceView externalName(String ns, String name, String target) {
        return service(ns, name, "ExternalName", List.of(), false, target, false);
    }

    public static ServiceView service(String ns, String name, String type, List<String> ips, boolean headless,
            String externalName, boolean publishNotReady, ServicePortView... ports) {
        return new ServiceView(ns, name, "uid-" + name, "1", T0, type, ips, headless, List.of(), null,
                Map.of("app", name), List.of(ports), externalName, List.of(), List.of(), List.of(), "None", null,
                "Cluster", "Cluster", null, publishNotReady, null, null);
    }

    public static ServicePortView port(String name, String protocol, int port) {
        return new ServicePortView(name, protocol, port, String.valueOf(port), null, null);
    }

    public static EndpointSliceView slice(String ns, String name, String service, String addressType,
            List<EndpointPortView> ports, EndpointView... endpoints) {
        return new EndpointSliceView(ns, name, "1", T0, service, addressType, "test", ports, List.of(endpoints));
    }

    public static EndpointPortView epPort(String name, String protocol, int port) {
        return new EndpointPortView(name, protocol, port, null);
    }

    public static EndpointView endpoint(String hostname, boolean ready, String... addresses) {
        return new EndpointView(List.of(addresses), ready, ready, false, hostname, "node-1", null, List.of(), List.of(),
                null);
    }

    public static PodView pod(String ns, String name, String hostname, String subdomain, boolean ready, String... ips) {
        return new PodView(ns, name, "uid-" + name, "1", T0, "node-1", "Running", List.of(ips), false, hostname,
                subdomain, ready, false, Map.of(), List.of());
    }
}
