package io.netplane.ingress.routing;

import static io.netplane.ingress.routing.Routes.route;
import static io.netplane.ingress.routing.Routes.rule;
import static io.netplane.ingress.routing.Routes.serviceOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.api.events.RouteView;
import io.netplane.api.events.RouteView.BackendView;
import io.netplane.api.events.RouteView.PathView;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RouteTableTest {

    /** Rows of the Kubernetes Ingress examples table with several paths, and the precedence rules. */
    static Stream<Arguments> multiPathRows() {
        return Stream.of(
                Arguments.of(List.of("Prefix / -> root", "Prefix /aaa -> aaa"), "/aaa/cc", "aaa"),
                Arguments.of(List.of("Prefix / -> root", "Prefix /aaa -> aaa", "Prefix /aaa/bbb -> bbb"), "/aaa/bbb", "bbb"),
                Arguments.of(List.of("Prefix / -> root", "Prefix /aaa -> aaa", "Prefix /aaa/bbb -> bbb"), "/cc", "root"),
                Arguments.of(List.of("Prefix /aaa -> aaa"), "/cc", "404"),
                Arguments.of(List.of("Prefix /foo -> prefix", "Exact /foo -> exact"), "/foo", "exact"),
                Arguments.of(List.of("Exact /foo -> exact", "Prefix /foo -> prefix"), "/foo", "exact"),
                Arguments.of(List.of("Exact /foo -> exact", "Prefix /foo -> prefix"), "/foo/x", "prefix"),
                // longest path first, whatever the order in the Ingress
                Arguments.of(List.of("Prefix /a -> short", "Prefix /a/b/c -> long", "Prefix /a/b -> mid"), "/a/b/c/d", "long"),
                Arguments.of(List.of("Prefix /a -> short", "Prefix /a/b/c -> long", "Prefix /a/b -> mid"), "/a/b/x", "mid"),
                // a longer Prefix beats a shorter Exact that also matches? Exact only matches itself, so: longest wins
                Arguments.of(List.of("Exact /a/b -> exact", "Prefix /a/b/ -> prefix"), "/a/b", "exact"),
                Arguments.of(List.of("ImplementationSpecific /api -> api", "Prefix / -> root"), "/api/v1", "api"),
                Arguments.of(List.of("ImplementationSpecific /api -> api", "Prefix / -> root"), "/apiv1", "root"));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("multiPathRows")
    void picksThePathTheDocsPick(List<String> paths, String request, String expected) {
        RouteTable table = RouteTable.build(List.of(route("ing", 1, null, rule(null, paths.toArray(String[]::new)))), null);
        assertThat(serviceOf(table.lookup("any.example", request))).isEqualTo(expected);
    }

    static Stream<Arguments> hostRows() {
        return Stream.of(
                Arguments.of("foo.bar.com", "/", "exact-host"),
                Arguments.of("FOO.BAR.COM", "/", "exact-host"),
                Arguments.of("bar.foo.com", "/", "wildcard"),
                Arguments.of("baz.bar.foo.com", "/", "any-host"),
                Arguments.of("foo.com", "/", "any-host"),
                Arguments.of("other.example", "/", "any-host"),
                Arguments.of(null, "/", "any-host"),
                // exact host beats a wildcard that would also match
                Arguments.of("exact.foo.com", "/", "exact-over-wildcard"),
                // once a host group is chosen, its miss goes to the default backend, not to other groups
                Arguments.of("foo.bar.com", "/nope", "default-svc"),
                Arguments.of("bar.foo.com", "/nope", "default-svc"));
    }

    @ParameterizedTest(name = "{0}{1} -> {2}")
    @MethodSource("hostRows")
    void hostsExactBeforeWildcardBeforeAny(String host, String path, String expected) {
        RouteView a = route("a", 1, null,
                rule("foo.bar.com", "Exact / -> exact-host"),
                rule("*.foo.com", "Exact / -> wildcard"),
                rule("exact.foo.com", "Exact / -> exact-over-wildcard"),
                rule(null, "Prefix / -> any-host"));
        RouteView b = route("b", 2, "default-svc");
        RouteTable table = RouteTable.build(List.of(a, b), null);
        assertThat(serviceOf(table.lookup(host, path))).isEqualTo(expected);
    }

    @Test
    void defaultBackendsIngressThenClassThenConfiguredThen404() {
        RouteView withDefault = route("with-default", 5, "own-default", rule("a.example", "Exact /x -> x"));
        RouteView older = route("older", 1, null, rule("b.example", "Exact /y -> y"));
        RouteView catchAll = route("catch-all", 3, "catch-all-default");
        Backend configured = new Backend("ingress", "fallback", 8080, "http");

        RouteTable all = RouteTable.build(List.of(withDefault, older, catchAll), configured);
        // a.example's own Ingress default serves its misses even though catch-all is older
        assertThat(serviceOf(all.lookup("a.example", "/other"))).isEqualTo("own-default");
        // b.example's Ingress has no default: the class default (oldest Ingress with one) serves
        assertThat(serviceOf(all.lookup("b.example", "/other"))).isEqualTo("catch-all-default");
        assertThat(serviceOf(all.lookup("unknown.example", "/"))).isEqualTo("catch-all-default");
        assertThat(all.conflicts()).singleElement()
                .satisfies(c -> assertThat(c.describe()).contains("default/with-default loses the default backend"));

        RouteTable noIngressDefault = RouteTable.build(List.of(older), configured);
        Match m = noIngressDefault.lookup("unknown.example", "/");
        assertThat(m).isEqualTo(new Match.Routed(configured, "default", null));

        assertThat(RouteTable.build(List.of(older), null).lookup("unknown.example", "/")).isEqualTo(new Match.NotFound());
        assertThat(RouteTable.empty(null).lookup(null, "/")).isEqualTo(new Match.NotFound());
    }

    @Test
    void olderIngressWinsAConflictRegardlessOfArrivalOrder() {
        RouteView newer = route("newer", 20, null, rule("shop.example", "Prefix /cart -> newer-cart", "Prefix /new -> new-only"));
        RouteView old = route("old", 10, null, rule("shop.example", "Prefix /cart/ -> old-cart"));
        for (List<RouteView> order : List.of(List.of(newer, old), List.of(old, newer))) {
            RouteTable table = RouteTable.build(order, null);
            assertThat(serviceOf(table.lookup("shop.example", "/cart/items"))).isEqualTo("old-cart");
            // the newer Ingress's other paths on the same host still merge in
            assertThat(serviceOf(table.lookup("shop.example", "/new"))).isEqualTo("new-only");
            assertThat(table.conflicts()).singleElement().satisfies(c -> {
                assertThat(c.winner().name()).isEqualTo("old");
                assertThat(c.loser().name()).isEqualTo("newer");
            });
        }
    }

    @Test
    void sameAgeTieBrokenByNamespaceAndName() {
        RouteView b = route("b", 1, null, rule(null, "Exact /x -> from-b"));
        RouteView a = route("a", 1, null, rule(null, "Exact /x -> from-a"));
        assertThat(serviceOf(RouteTable.build(List.of(b, a), null).lookup(null, "/x"))).isEqualTo("from-a");
    }

    @Test
    void exactAndPrefixOfTheSamePathDoNotConflict() {
        RouteView a = route("a", 1, null, rule(null, "Prefix /p -> prefix"));
        RouteView b = route("b", 2, null, rule(null, "Exact /p -> exact"));
        RouteTable table = RouteTable.build(List.of(a, b), null);
        assertThat(table.conflicts()).isEmpty();
        assertThat(serviceOf(table.lookup(null, "/p"))).isEqualTo("exact");
        assertThat(serviceOf(table.lookup(null, "/p/q"))).isEqualTo("prefix");
    }

    @Test
    void malformedPathsOfOneRouteDoNotBreakOthers() {
        RouteView bad = new RouteView("default", "bad", "1", null, "netplane", null, List.of(new RouteView.RuleView(null,
                List.of(new PathView("relative", "Prefix", new BackendView("x", 80, "http")),
                        new PathView("/weird", "Regex", new BackendView("x", 80, "http")),
                        new PathView("/nobackend", "Prefix", null)))), List.of(), null);
        RouteView good = route("good", 1, null, rule(null, "Prefix / -> good"));
        RouteTable table = RouteTable.build(List.of(bad, good), null);
        assertThat(serviceOf(table.lookup(null, "/weird"))).isEqualTo("good");
        assertThat(serviceOf(table.lookup(null, "/nobackend"))).isEqualTo("good");
    }

    @Test
    void backendKeepsTheRouteNamespace() {
        RouteView r = new RouteView("shop", "web", "1", null, "netplane", null,
                List.of(rule(null, "Prefix / -> web")), List.of(), null);
        assertThat(RouteTable.build(List.of(r), null).lookup(null, "/"))
                .isEqualTo(new Match.Routed(new Backend("shop", "web", 80, "http"), "rule", new Origin("shop", "web", null)));
    }
}
