package io.netplane.ingress.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.api.events.EndpointSliceView;
import io.netplane.api.events.EndpointSliceView.EndpointPortView;
import io.netplane.api.events.EndpointSliceView.EndpointView;
import io.netplane.ingress.routing.Backend;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointTableTest {

    static EndpointView ep(boolean ready, String... addresses) {
        return new EndpointView(List.of(addresses), ready, ready, !ready, null, null, null, null, null, null);
    }

    static EndpointSliceView slice(String name, String service, String type, List<EndpointPortView> ports, EndpointView... eps) {
        return new EndpointSliceView("shop", name, "1", null, service, type, "x", ports, List.of(eps));
    }

    static final List<EndpointPortView> HTTP_AND_ADMIN = List.of(
            new EndpointPortView("http", "TCP", 8080, null), new EndpointPortView("admin", "TCP", 9090, null));

    @Test
    void mergesSlicesOfAServiceAndKeepsReadyEndpointsOnly() {
        EndpointTable table = EndpointTable.build(List.of(
                slice("web-a", "web", "IPv4", HTTP_AND_ADMIN, ep(true, "10.0.0.2"), ep(false, "10.0.0.9")),
                slice("web-b", "web", "IPv4", HTTP_AND_ADMIN, ep(true, "10.0.0.1"), ep(true, "10.0.0.2")),
                slice("web-c", "web", "IPv6", HTTP_AND_ADMIN, ep(true, "fd00::1")),
                slice("web-d", "web", "FQDN", HTTP_AND_ADMIN, ep(true, "example.com")),
                slice("other", "api", "IPv4", HTTP_AND_ADMIN, ep(true, "10.9.9.9"))));
        assertThat(table.ready(new Backend("shop", "web", 80, "http"))).extracting(Endpoint::hostPort)
                .containsExactly("10.0.0.1:8080", "10.0.0.2:8080", "[fd00::1]:8080");
        assertThat(table.ready(new Backend("shop", "web", 9090, "admin"))).extracting(Endpoint::hostPort)
                .containsExactly("10.0.0.1:9090", "10.0.0.2:9090", "[fd00::1]:9090");
        assertThat(table.ready(new Backend("shop", "web", 80, "nope"))).isEmpty();
        assertThat(table.ready(new Backend("other-ns", "web", 80, "http"))).isEmpty();
        // port name unknown and the Service has two ports: ambiguous, nothing
        assertThat(table.ready(new Backend("shop", "web", 80, null))).isEmpty();
    }

    @Test
    void unnamedSinglePortResolvesWithoutAName() {
        EndpointTable table = EndpointTable.build(List.of(
                slice("plain", "plain", "IPv4", List.of(new EndpointPortView("", "TCP", 8080, null)), ep(true, "10.0.0.5"))));
        assertThat(table.ready(new Backend("shop", "plain", 80, ""))).extracting(Endpoint::hostPort).containsExactly("10.0.0.5:8080");
        assertThat(table.ready(new Backend("shop", "plain", 80, null))).extracting(Endpoint::hostPort).containsExactly("10.0.0.5:8080");
    }

    @Test
    void udpPortsAndPortlessSlicesAreIgnored() {
        EndpointTable table = EndpointTable.build(List.of(
                slice("dns", "dns", "IPv4", List.of(new EndpointPortView("dns", "UDP", 53, null)), ep(true, "10.0.0.5")),
                slice("all", "all", "IPv4", List.of(new EndpointPortView("", "TCP", null, null)), ep(true, "10.0.0.6"))));
        assertThat(table.ready(new Backend("shop", "dns", 53, "dns"))).isEmpty();
        assertThat(table.ready(new Backend("shop", "all", 80, ""))).isEmpty();
    }
}
