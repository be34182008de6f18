package io.netplane.ingress.routing;

import io.netplane.api.events.RouteView;
import io.netplane.api.events.RouteView.PathView;
import io.netplane.api.events.RouteView.RuleView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The merged routes of one IngressClass, built from every {@link RouteView} of the class.
 *
 * <p>Lookup, for a request host and normalised path:
 * <ol>
 *   <li>Host group: rules whose host equals the request host; else the rules of the single wildcard that can
 *       match it ({@code *.} plus all labels but the first); else the rules without a host. Once a group is
 *       chosen, other groups are not consulted (as with server blocks in a reverse proxy).</li>
 *   <li>Path: the longest matching path wins; on equal length Exact beats Prefix (ImplementationSpecific is
 *       Prefix).</li>
 *   <li>No path matched: the defaultBackend of the oldest Ingress that contributed rules to the group and has
 *       one; else the class default (the oldest Ingress of the class with a defaultBackend); else the
 *       configured default backend; else {@link Match.NotFound}.</li>
 * </ol>
 *
 * <p>Merge rule: when Ingresses of the class claim the same host and path with the same type (Prefix paths
 * compared element-wise, so {@code /foo} and {@code /foo/} are one claim), the oldest Ingress
 * (creationTimestamp, then {@code namespace/name}) wins and the others are reported as {@link Conflict}s.
 * Paths that are not absolute, and unknown path types, are skipped, so one malformed route never affects
 * the others.
 */
public final class RouteTable {

    private record PathRoute(PathType type, String path, Backend backend, Origin origin) {
    }

    private record HostGroup(List<PathRoute> paths, Backend defaultBackend, Origin defaultOrigin) {
    }

    private static final Comparator<PathRoute> PRECEDENCE = Comparator
            .comparingInt((PathRoute r) -> r.path().length()).reversed()
            .thenComparing(r -> r.type() == PathType.EXACT ? 0 : 1)
            .thenComparing(PathRoute::origin);

    private final Map<String, HostGroup> hosts;
    private final HostGroup anyHost;
    private final Backend classDefault;
    private final Origin classDefaultOrigin;
    private final Backend configuredDefault;
    private final List<Conflict> conflicts;

    private RouteTable(Map<String, HostGroup> hosts, HostGroup anyHost, Backend classDefault,
            Origin classDefaultOrigin, Backend configuredDefault, List<Conflict> conflicts) {
        this.hosts = hosts;
        this.anyHost = anyHost;
        this.classDefault = classDefault;
        this.classDefaultOrigin = classDefaultOrigin;
        this.configuredDefault = configuredDefault;
        this.conflicts = conflicts;
    }

    public static RouteTable empty(Backend configuredDefault) {
        return build(List.of(), configuredDefault);
    }

    /** Merges {@code routes} (all of one class; callers filter) with the configured default (may be null). */
    public static RouteTable build(List<RouteView> routes, Backend configuredDefault) {
        List<RouteView> ordered = new ArrayList<>(routes);
        ordered.sort(Comparator.comparing(RouteTable::origin));
        List<Conflict> conflicts = new ArrayList<>();
        Map<String, Map<String, PathRoute>> claims = new LinkedHashMap<>();
        Map<String, Origin[]> groupDefaultOrigin = new HashMap<>();
        Map<String, Backend> groupDefault = new HashMap<>();
        Backend classDefault = null;
        Origin classDefaultOrigin = null;
        for (RouteView route : ordered) {
            Origin origin = origin(route);
            Backend routeDefault = Backend.of(route.namespace(), route.defaultBackend());
            if (routeDefault != null) {
                if (classDefault == null) {
                    classDefault = routeDefault;
                    classDefaultOrigin = origin;
                } else if (!classDefaultOrigin.equals(origin)) {
                    conflicts.add(new Conflict(null, null, null, classDefaultOrigin, origin));
                }
            }
            for (RuleView rule : route.rules()) {
                String group = rule.host() == null || rule.host().isEmpty() ? "" : rule.host().toLowerCase(java.util.Locale.ROOT);
                Map<String, PathRoute> groupClaims = claims.computeIfAbsent(group, g -> new LinkedHashMap<>());
                if (routeDefault != null && !groupDefault.containsKey(group)) {
                    groupDefault.put(group, routeDefault);
                    groupDefaultOrigin.put(group, new Origin[] {origin});
                }
                for (PathView path : rule.paths()) {
                    PathType type = PathType.parse(path.pathType());
                    Backend backend = Backend.of(route.namespace(), path.backend());
                    if (type == null || path.path() == null || !path.path().startsWith("/") || backend == null) {
                        continue;
                    }
                    String canonical = PathMatcher.canonical(type, path.path());
                    String claimKey = type + " " + canonical;
                    PathRoute existing = groupClaims.get(claimKey);
                    if (existing == null) {
                        groupClaims.put(claimKey, new PathRoute(type, canonical, backend, origin));
                    } else if (!existing.origin().equals(origin) || !existing.backend().equals(backend)) {
                        conflicts.add(new Conflict(group.isEmpty() ? null : group, path.pathType(), path.path(),
                                existing.origin(), origin));
                    }
                }
            }
        }
        Map<String, HostGroup> hosts = new HashMap<>();
        HostGroup anyHost = new HostGroup(List.of(), null, null);
        for (Map.Entry<String, Map<String, PathRoute>> e : claims.entrySet()) {
            List<PathRoute> paths = new ArrayList<>(e.getValue().values());
            paths.sort(PRECEDENCE);
            Origin[] defOrigin = groupDefaultOrigin.get(e.getKey());
            HostGroup group = new HostGroup(List.copyOf(paths), groupDefault.get(e.getKey()),
                    defOrigin == null ? null : defOrigin[0]);
            if (e.getKey().isEmpty()) {
                anyHost = group;
            } else {
                hosts.put(e.getKey(), group);
            }
        }
        return new RouteTable(Map.copyOf(hosts), anyHost, classDefault, classDefaultOrigin, configuredDefault,
                List.copyOf(conflicts));
    }

    static Origin origin(RouteView route) {
        return new Origin(Objects.requireNonNullElse(route.namespace(), ""), route.name(), route.createdAt());
    }

    /** Routes a request; {@code host} is the parsed request host name (null when the request had none). */
    public Match lookup(String host, String path) {
        HostGroup group = selectGroup(host);
        for (PathRoute route : group.paths()) {
            if (PathMatcher.matches(route.type(), route.path(), path)) {
                return new Match.Routed(route.backend(), "rule", route.origin());
            }
        }
        if (group.defaultBackend() != null) {
            return new Match.Routed(group.defaultBackend(), "ingress-default", group.defaultOrigin());
        }
        if (classDefault != null) {
            return new Match.Routed(classDefault, "ingress-default", classDefaultOrigin);
        }
        if (configuredDefault != null) {
            return new Match.Routed(configuredDefault, "default", null);
        }
        return new Match.NotFound();
    }

    private HostGroup selectGroup(String host) {
        if (host != null) {
            String name = host.toLowerCase(java.util.Locale.ROOT);
            HostGroup exact = hosts.get(name);
            if (exact != null) {
                return exact;
            }
            String wildcard = HostMatcher.wildcardKey(name);
            HostGroup wild = wildcard == null ? null : hosts.get(wildcard);
            if (wild != null) {
                return wild;
            }
        }
        return anyHost;
    }

    /** Claims that lost the merge, in a stable order, for Events and logs. */
    public List<Conflict> conflicts() {
        return conflicts;
    }
}
