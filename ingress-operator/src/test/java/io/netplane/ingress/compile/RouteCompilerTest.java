package io.netplane.ingress.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.api.events.RouteView;
import io.netplane.api.events.RouteView.BackendView;
import io.netplane.api.events.RouteView.PathView;
import io.netplane.api.events.RouteView.RuleView;
import io.netplane.api.events.RouteView.TlsView;
import io.netplane.api.report.Problem;
import io.netplane.ingress.compile.IngressInput.BackendInput;
import io.netplane.ingress.compile.IngressInput.PathInput;
import io.netplane.ingress.compile.IngressInput.RuleInput;
import io.netplane.ingress.compile.IngressInput.TlsInput;
import io.netplane.ingress.compile.ServiceInput.PortInput;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RouteCompilerTest {

    static final String US = "netplane.io/ingress-controller";
    static final List<IngressClassInput> CLASSES = List.of(new IngressClassInput("netplane", US, false, Instant.EPOCH));
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant CREATED = Instant.parse("2025-01-01T00:00:00Z");
    static final Map<String, ServiceInput> SERVICES = Map.of(
            "web", new ServiceInput("shop", "web", "ClusterIP", List.of(new PortInput("http", 80, "TCP"), new PortInput("admin", 9000, "TCP"))),
            "plain", new ServiceInput("shop", "plain", "ClusterIP", List.of(new PortInput("", 8080, "TCP"))),
            "ext", new ServiceInput("shop", "ext", "ExternalName", List.of(new PortInput("", 80, "TCP"))));

    static IngressInput ingress(BackendInput defaultBackend, List<RuleInput> rules, List<TlsInput> tls) {
        return new IngressInput("shop", "web", "42", CREATED, "netplane", Map.of(), defaultBackend, rules, tls);
    }

    static Compilation compile(IngressInput in) {
        return RouteCompiler.compile(in, CLASSES, SERVICES, Set.of("shop-tls"), US, NOW);
    }

    static RuleInput prefixRule(String host, BackendInput backend) {
        return new RuleInput(host, List.of(new PathInput("/", "Prefix", backend)));
    }

    static Stream<Arguments> backendRows() {
        return Stream.of(
                // Ingress backend, expected published backend, expected problem reason (null: none)
                Arguments.of(new BackendInput("web", 80, null, null), new BackendView("web", 80, "http"), null),
                Arguments.of(new BackendInput("web", null, "admin", null), new BackendView("web", 9000, "admin"), null),
                Arguments.of(new BackendInput("plain", 8080, null, null), new BackendView("plain", 8080, ""), null),
                Arguments.of(new BackendInput("web", 81, null, null), new BackendView("web", 81, null), "ServicePortNotFound"),
                Arguments.of(new BackendInput("web", null, "nope", null), new BackendView("web", null, "nope"), "ServicePortNotFound"),
                Arguments.of(new BackendInput("gone", 80, null, null), new BackendView("gone", 80, null), "ServiceNotFound"),
                Arguments.of(new BackendInput("ext", 80, null, null), new BackendView("ext", 80, ""), "UnsupportedBackend"));
    }

    @ParameterizedTest(name = "{0} -> {1} ({2})")
    @MethodSource("backendRows")
    void resolvesServicePorts(BackendInput in, BackendView expected, String problem) {
        Compilation c = compile(ingress(null, List.of(prefixRule("shop.example", in)), List.of()));
        assertThat(c.route().rules()).singleElement()
                .satisfies(r -> assertThat(r.paths()).singleElement().satisfies(p -> assertThat(p.backend()).isEqualTo(expected)));
        if (problem == null) {
            assertThat(c.problems()).isEmpty();
        } else {
            assertThat(c.problems()).extracting(Problem::reason).containsExactly(problem);
        }
    }

    @Test
    void compilesAWholeIngress() {
        IngressInput in = ingress(new BackendInput("web", 80, null, null),
                List.of(new RuleInput("shop.example", List.of(
                        new PathInput("/cart", "Prefix", new BackendInput("web", null, "http", null)),
                        new PathInput("/login", "Exact", new BackendInput("plain", 8080, null, null)))),
                        new RuleInput(null, List.of(new PathInput("/", "ImplementationSpecific", new BackendInput("web", 80, null, null))))),
                List.of(new TlsInput(List.of("shop.example"), "shop-tls")));
        RouteView expected = new RouteView("shop", "web", "42", NOW, "netplane", new BackendView("web", 80, "http"),
                List.of(new RuleView("shop.example", List.of(
                        new PathView("/cart", "Prefix", new BackendView("web", 80, "http")),
                        new PathView("/login", "Exact", new BackendView("plain", 8080, "")))),
                        new RuleView(null, List.of(new PathView("/", "ImplementationSpecific", new BackendView("web", 80, "http"))))),
                List.of(new TlsView(List.of("shop.example"), "shop-tls")), CREATED);
        Compilation c = compile(in);
        assertThat(c.route()).isEqualTo(expected);
        assertThat(c.problems()).isEmpty();
    }

    @Test
    void resourceBackendsAndBadPathsAreDroppedWithProblemsAndTheRestServed() {
        IngressInput in = ingress(new BackendInput(null, null, null, "StorageBucket"),
                List.of(new RuleInput(null, List.of(
                        new PathInput("/icons", "ImplementationSpecific", new BackendInput(null, null, null, "StorageBucket")),
                        new PathInput("relative", "Prefix", new BackendInput("web", 80, null, null)),
                        new PathInput("/regex", "Regex", new BackendInput("web", 80, null, null)),
                        new PathInput("/ok", "Exact", new BackendInput("web", 80, null, null)))),
                        new RuleInput("Bad_Host!", List.of(new PathInput("/", "Prefix", new BackendInput("web", 80, null, null))))),
                List.of(new TlsInput(List.of("shop.example"), "missing-tls")));
        Compilation c = compile(in);
        assertThat(c.route().defaultBackend()).isNull();
        assertThat(c.route().rules()).singleElement().satisfies(r ->
                assertThat(r.paths()).containsExactly(new PathView("/ok", "Exact", new BackendView("web", 80, "http"))));
        assertThat(c.route().tls()).containsExactly(new TlsView(List.of("shop.example"), "missing-tls"));
        assertThat(c.problems()).extracting(Problem::reason).containsExactly("UnsupportedBackend", "UnsupportedBackend",
                "InvalidPath", "InvalidPathType", "InvalidHost", "TLSSecretNotFound");
        assertThat(c.problems().get(0).message()).contains("StorageBucket");
    }

    @Test
    void ingressOfAnotherClassIsNotServed() {
        IngressInput in = new IngressInput("shop", "web", "1", CREATED, "nginx", Map.of(), null, List.of(), List.of());
        Compilation c = RouteCompiler.compile(in, List.of(new IngressClassInput("nginx", "k8s.io/ingress-nginx", false, null)),
                SERVICES, Set.of(), US, NOW);
        assertThat(c.served()).isFalse();
        assertThat(c.problems()).isEmpty();
    }

    @Test
    void wildcardHostIsValid() {
        Compilation c = compile(ingress(null, List.of(prefixRule("*.shop.example", new BackendInput("web", 80, null, null))), List.of()));
        assertThat(c.route().rules()).extracting(RuleView::host).containsExactly("*.shop.example");
        assertThat(c.problems()).isEmpty();
    }
}
