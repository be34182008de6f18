package io.netplane.ingress.tls;

import io.netplane.api.events.RouteView;
import io.netplane.api.events.RouteView.TlsView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which Secrets a gateway loads and which host each one serves, from the TLS blocks of a class's routes.
 * Routes are taken oldest Ingress first, so when two Ingresses name different Secrets for one host the older
 * one wins (the same rule as for paths). A TLS block without a Secret binds nothing: its hosts get the
 * default certificate.
 */
public final class TlsRefs {
    private TlsRefs() {
    }

    /** The configured default certificate first, then every referenced Secret. */
    public static List<SecretRef> of(List<RouteView> routes, SecretRef defaultCertificate) {
        Set<SecretRef> refs = new LinkedHashSet<>();
        if (defaultCertificate != null) {
            refs.add(defaultCertificate);
        }
        for (RouteView route : oldestFirst(routes)) {
            for (TlsView tls : route.tls()) {
                if (tls.secretName() != null && !tls.secretName().isEmpty()) {
                    refs.add(new SecretRef(route.namespace(), tls.secretName()));
                }
            }
        }
        return List.copyOf(refs);
    }

    /** Host (lower case; exact or {@code *.wildcard}) to the Secret that serves it. */
    public static Map<String, SecretRef> hosts(List<RouteView> routes) {
        Map<String, SecretRef> hosts = new LinkedHashMap<>();
        for (RouteView route : oldestFirst(routes)) {
            for (TlsView tls : route.tls()) {
                if (tls.secretName() == null || tls.secretName().isEmpty()) {
                    continue;
                }
                for (String host : tls.hosts()) {
                    hosts.putIfAbsent(host.toLowerCase(Locale.ROOT), new SecretRef(route.namespace(), tls.secretName()));
                }
            }
        }
        return Map.copyOf(hosts);
    }

    private static List<RouteView> oldestFirst(List<RouteView> routes) {
        List<RouteView> ordered = new ArrayList<>(routes);
        ordered.sort(Comparator.comparing(RouteView::createdAt, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(RouteView::key));
        return ordered;
    }
}
