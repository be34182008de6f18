package io.netplane.ingress.routing;

import io.netplane.api.events.RouteView;
import io.netplane.api.events.RouteView.BackendView;
import io.netplane.api.events.RouteView.PathView;
import io.netplane.api.events.RouteView.RuleView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Test builder for RouteViews: paths written as {@code "Prefix /foo -> svc"}. */
final class Routes {
    private Routes() {
    }

    static PathView path(String spec) {
        String[] parts = spec.split(" ");
        // "<type> <path> -> <service>"
        return new PathView(parts[1], parts[0], new BackendView(parts[3], 80, "http"));
    }

    static RuleView rule(String host, String... paths) {
        List<PathView> list = new ArrayList<>();
        for (String p : paths) {
            list.add(path(p));
        }
        return new RuleView(host, list);
    }

    static RouteView route(String name, long created, String defaultService, RuleView... rules) {
        return new RouteView("default", name, "1", Instant.EPOCH, "netplane", defaultService == null ? null
                : new BackendView(defaultService, 80, "http"), List.of(rules), List.of(), Instant.ofEpochSecond(created));
    }

    static String serviceOf(Match match) {
        return match instanceof Match.Routed r ? r.backend().service() : "404";
    }
}
