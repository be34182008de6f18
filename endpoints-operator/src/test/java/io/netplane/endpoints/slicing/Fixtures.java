package io.netplane.endpoints.slicing;

import io.netplane.api.events.EndpointSliceView.EndpointPortView;
import io.netplane.api.events.EndpointSliceView.EndpointView;
import io.netplane.api.events.NodeView;
import io.netplane.api.events.PodView;
import io.netplane.api.events.PodView.ContainerPortView;
import io.netplane.api.events.ServiceView.ServicePortView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Small builders for planner tables: a Service "shop/web", Pods "web-N", Nodes, and slices as upstream would have written them. */
public final class Fixtures {
    static final String MANAGED_BY = "endpointslice-controller.k8s.io";
    static final SlicePlanner.Settings MAX_100 = new SlicePlanner.Settings(100, MANAGED_BY);
    static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");
    static final Map<String, NodeView> NODES = nodes(node("node-a", "zone-a", 4000), node("node-b", "zone-b", 4000));

    private Fixtures() {
    }

    /** A mutable description of the Service, built into a {@link SliceService}. */
    static final class Svc {
        String uid = "svc-uid";
        String clusterIP = "10.96.0.10";
        List<String> families = List.of("IPv4");
        Map<String, String> selector = Map.of("app", "web");
        List<ServicePortView> ports = List.of(new ServicePortView("http", "TCP", 80, "http", null, null));
        boolean publishNotReady;
        Map<String, String> labels = Map.of();
        boolean topologyAuto;
        String trafficDistribution;
        boolean deleting;
        boolean externalName;

        Svc with(java.util.function.Consumer<Svc> change) {
            change.accept(this);
            return this;
        }

        SliceService build() {
            return new SliceService("shop", "web", uid, clusterIP, families, selector, ports, publishNotReady, labels,
                    topologyAuto, trafficDistribution, deleting, externalName);
        }
    }

    static SliceService service() {
        return new Svc().build();
    }

    static SliceService service(java.util.function.Consumer<Svc> change) {
        return new Svc().with(change).build();
    }

    /** A Running, Ready Pod "web-N" on node-a with container port http=8080 and IP 10.0.x.y. */
    static PodView pod(int n) {
        return new PodView("shop", "web-" + n, "pod-uid-" + n, "1", AT, n % 2 == 0 ? "node-a" : "node-b", "Running",
                List.of("10.0." + (n / 250) + "." + (n % 250 + 1)), false, null, null, true, false,
                Map.of("app", "web"), List.of(new ContainerPortView("http", 8080, "TCP")));
    }

    static List<PodView> pods(int from, int toExclusive) {
        return IntStream.range(from, toExclusive).mapToObj(Fixtures::pod).toList();
    }

    static PodView with(PodView p, Function<PodBuilder, PodBuilder> change) {
        return change.apply(new PodBuilder(p)).build();
    }

    /** Copy-with for PodView. */
    static final class PodBuilder {
        String name;
        String uid;
        String nodeName;
        String phase;
        List<String> ips;
        String hostname;
        String subdomain;
        boolean ready;
        boolean terminating;
        Map<String, String> labels;
        List<ContainerPortView> ports;
        final String namespace;

        PodBuilder(PodView p) {
            namespace = p.namespace();
            name = p.name();
            uid = p.uid();
            nodeName = p.nodeName();
            phase = p.phase();
            ips = p.podIPs();
            hostname = p.hostname();
            subdomain = p.subdomain();
            ready = p.ready();
            terminating = p.terminating();
            labels = p.labels();
            ports = p.containerPorts();
        }

        PodBuilder ips(String... v) {
            ips = List.of(v);
            return this;
        }

        PodBuilder ready(boolean v) {
            ready = v;
            return this;
        }

        PodBuilder terminating() {
            terminating = true;
            return this;
        }

        PodBuilder phase(String v) {
            phase = v;
            return this;
        }

        PodBuilder node(String v) {
            nodeName = v;
            return this;
        }

        PodBuilder hostname(String h, String sub) {
            hostname = h;
            subdomain = sub;
            return this;
        }

        PodBuilder port(String name, int number) {
            ports = List.of(new ContainerPortView(name, number, "TCP"));
            return this;
        }

        PodBuilder labels(Map<String, String> v) {
            labels = v;
            return this;
        }

        PodView build() {
            return new PodView(namespace, name, uid, "1", AT, nodeName, phase, ips, false, hostname, subdomain, ready,
                    terminating, labels, ports);
        }
    }

    static NodeView node(String name, String zone, long cpuMillis) {
        return new NodeView(name, "node-uid-" + name, "1", AT, List.of(), zone, List.of(), true, cpuMillis, Map.of());
    }

    static Map<String, NodeView> nodes(NodeView... nodes) {
        Map<String, NodeView> out = new LinkedHashMap<>();
        for (NodeView n : nodes) {
            out.put(n.name(), n);
        }
        return out;
    }

    static final List<EndpointPortView> HTTP_8080 = List.of(new EndpointPortView("http", "TCP", 8080, null));

    /** A slice as this controller would have written it for these Pods (owned by the Service, current labels). */
    static Slice slice(String name, SliceService svc, String type, List<EndpointPortView> ports, List<PodView> pods) {
        List<EndpointView> endpoints = new ArrayList<>();
        for (PodView p : pods) {
            endpoints.add(PodEndpoints.of(p, NODES.get(p.nodeName()), svc, type));
        }
        return new Slice(name, type, ports, endpoints, SliceLabels.desired(svc, MANAGED_BY), List.of(svc.uid()));
    }

    static Slice slice(String name, List<PodView> pods) {
        return slice(name, service(), "IPv4", HTTP_8080, pods);
    }

    static Slice placeholder(String name, SliceService svc, String type) {
        return new Slice(name, type, List.of(), List.of(), SliceLabels.desired(svc, MANAGED_BY), List.of(svc.uid()));
    }

    static SlicePlan plan(SliceService svc, List<PodView> pods, List<Slice> existing) {
        return SlicePlanner.plan(svc, pods, NODES, ZoneCapacity.of(NODES.values()), existing, MAX_100);
    }

    /**
     * The plan as a reader checks it: {@code +IPv4:3} a create with 3 endpoints, {@code ~web-a:2} an update leaving
     * web-a with 2, {@code -web-b} a delete; creates, then updates, then deletes, each sorted.
     */
    public static String describe(SlicePlan plan) {
        List<String> parts = new ArrayList<>();
        plan.creates().stream().map(s -> "+" + s.addressType() + ":" + s.endpoints().size()).sorted()
                .forEach(parts::add);
        plan.updates().stream().map(s -> "~" + s.name() + ":" + s.endpoints().size()).sorted().forEach(parts::add);
        plan.deletes().stream().map(s -> "-" + s.name()).sorted().forEach(parts::add);
        return parts.isEmpty() ? "nothing" : String.join(" ", parts);
    }

    static List<String> reasons(SlicePlan plan) {
        return plan.events().stream().map(e -> e.problem().reason()).distinct().sorted().toList();
    }

    static Map<String, Integer> countBy(List<String> values) {
        Map<String, Integer> out = new HashMap<>();
        values.forEach(v -> out.merge(v, 1, Integer::sum));
        return out;
    }

    static List<PodView> concat(List<PodView> a, PodView... more) {
        List<PodView> out = new ArrayList<>(a);
        out.addAll(Arrays.asList(more));
        return out;
    }

    static String joined(List<String> values) {
        return values.stream().collect(Collectors.joining(","));
    }
}
