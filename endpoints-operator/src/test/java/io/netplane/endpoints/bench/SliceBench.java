package io.netplane.endpoints.bench;

import io.netplane.api.events.ContractEvent;
import io.netplane.api.events.EndpointSliceView;
import io.netplane.api.events.EventJson;
import io.netplane.api.events.NodeView;
import io.netplane.api.events.PodView;
import io.netplane.api.events.PodView.ContainerPortView;
import io.netplane.api.events.ServiceView.ServicePortView;
import io.netplane.api.events.Topic;
import io.netplane.api.events.Topics;
import io.netplane.endpoints.slicing.Slice;
import io.netplane.endpoints.slicing.SlicePlan;
import io.netplane.endpoints.slicing.SlicePlanner;
import io.netplane.endpoints.slicing.SliceService;
import io.netplane.endpoints.slicing.ZoneCapacity;
import io.netplane.runtime.kafka.EventHandler;
import io.netplane.runtime.kafka.EventPublisher;
import io.netplane.runtime.kafka.SnapshotFollower;
import io.netplane.testing.kafka.KafkaBroker;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives the real planner and the real Kafka publishing path (in-JVM KRaft broker on loopback) with an in-memory
 * stand-in for the API server (it assigns slice names and resource versions and counts writes). Prints:
 * cold convergence of S Services × P Pods (time, API writes, events and bytes published), a Pod-by-Pod roll of one
 * large Service (slice writes and bytes per Pod change, against a naive sorted-chunk packer as the peer), Pod change
 * → event consumed from Kafka latency p50/p99, and heap used with the whole state held.
 */
public final class SliceBench {
    private static final String MANAGED_BY = "endpointslice-controller.k8s.io";
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    private final SlicePlanner.Settings settings = new SlicePlanner.Settings(100, MANAGED_BY);
    private final Map<String, NodeView> nodes = new LinkedHashMap<>();
    private final ZoneCapacity capacity;
    private final EventPublisher publisher;
    private final AtomicLong rv = new AtomicLong(1);
    private long bytesPublished;
    private long eventsPublished;

    private SliceBench(EventPublisher publisher) {
        for (int i = 0; i < 30; i++) {
            String name = "node-" + i;
            nodes.put(name, new NodeView(name, "u-" + name, "1", AT, List.of(), "zone-" + (i % 3), List.of(), true,
                    8000, Map.of()));
        }
        this.capacity = ZoneCapacity.of(nodes.values());
        this.publisher = publisher;
    }

    public static void main(String[] args) throws Exception {
        int services = Integer.parseInt(args.length > 0 ? args[0] : "10000");
        int podsPerService = Integer.parseInt(args.length > 1 ? args[1] : "10");
        int rollPods = Integer.parseInt(args.length > 2 ? args[2] : "1000");
        int latencySamples = Integer.parseInt(args.length > 3 ? args[3] : "500");
        System.out.printf("endpoints-operator benchmark (planner + Kafka publish; API server simulated in memory)%n");
        System.out.printf("JVM %s, %d cores, max heap %d MiB%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        try (KafkaBroker broker = KafkaBroker.start(Files.createTempDirectory("bench-kafka-"), 0);
                EventPublisher pub = new EventPublisher(broker.bootstrapServers(), "/netplane/endpoints-operator",
                        Clock.systemUTC())) {
            // warm up: the first send waits for partition leaders of a broker that has just started
            for (int i = 0; i < 50; i++) {
                pub.tombstone(Topics.ENDPOINT_SLICES, "warmup/" + i).get(60, TimeUnit.SECONDS);
            }
            SliceBench bench = new SliceBench(pub);
            bench.cold(Math.min(services, 500), podsPerService, false);
            long before = usedAfterGc();
            Map<String, ServiceState> state = bench.cold(services, podsPerService, true);
            System.out.printf("  heap held by the state of %d Services (their Pods and slices): %d MiB"
                    + " (heap used minus heap used before, both after GC; broker in the same JVM)%n", state.size(),
                    (usedAfterGc() - before) >> 20);
            bench.roll(rollPods);
            bench.latency(broker.bootstrapServers(), rollPods, latencySamples);
        }
        System.exit(0);
    }

    /** One Service's state as the API server would hold it. */
    private static final class ServiceState {
        final SliceService service;
        final Map<String, PodView> pods = new LinkedHashMap<>();
        final Map<String, Slice> slices = new LinkedHashMap<>();
        int generated;

        ServiceState(SliceService service) {
            this.service = service;
        }
    }

    private static SliceService service(String ns, String name) {
        return new SliceService(ns, name, "uid-" + ns + "-" + name, "10.96.0.1", List.of("IPv4"), Map.of("app", name),
                List.of(new ServicePortView("http", "TCP", 80, "http", null, null)), false, Map.of(), false, null,
                false);
    }

    private PodView pod(String ns, String app, String name, int ipIndex, boolean ready) {
        String ip = "10." + ((ipIndex >> 16) & 255) + "." + ((ipIndex >> 8) & 255) + "." + (ipIndex & 255);
        return new PodView(ns, name, "uid-" + name, "1", AT, "node-" + (ipIndex % nodes.size()), "Running",
                List.of(ip), false, null, null, ready, false, Map.of("app", app),
                List.of(new ContainerPortView("http", 8080, "TCP")));
    }

    /** Plans, applies to the in-memory API, publishes the written slices. Returns API writes. */
    private int sync(ServiceState s, List<CompletableFuture<?>> sends) {
        SlicePlan plan = SlicePlanner.plan(s.service, s.pods.values(), nodes, capacity,
                List.copyOf(s.slices.values()), settings);
        for (Slice u : plan.updates()) {
            s.slices.put(u.name(), u);
            sends.add(publish(Topics.ENDPOINT_SLICES, view(s, u)));
        }
        for (Slice c : plan.creates()) {
            String name = s.service.name() + "-" + (s.generated++);
            Slice named = new Slice(name, c.addressType(), c.ports(), c.endpoints(), c.labels(), c.ownerServiceUids());
            s.slices.put(name, named);
            sends.add(publish(Topics.ENDPOINT_SLICES, view(s, named)));
        }
        for (Slice d : plan.deletes()) {
            s.slices.remove(d.name());
            sends.add(publisher.tombstone(Topics.ENDPOINT_SLICES, s.service.namespace() + "/" + d.name()));
            eventsPublished++;
        }
        return plan.apiWrites();
    }

    private EndpointSliceView view(ServiceState s, Slice slice) {
        return new EndpointSliceView(s.service.namespace(), slice.name(), Long.toString(rv.incrementAndGet()),
                Instant.now(), s.service.name(), slice.addressType(), MANAGED_BY, slice.ports(), slice.endpoints());
    }

    private <T extends ContractEvent> CompletableFuture<?> publish(Topic<T> topic, T value) {
        bytesPublished += EventJson.write(value).length;
        eventsPublished++;
        return publisher.publish(topic, value);
    }

    private Map<String, ServiceState> cold(int services, int podsPerService, boolean print) {
        Map<String, ServiceState> all = new HashMap<>();
        int ip = 1;
        for (int i = 0; i < services; i++) {
            String ns = "ns-" + (i % 100);
            ServiceState s = new ServiceState(service(ns, "svc-" + i));
            for (int p = 0; p < podsPerService; p++) {
                PodView pod = pod(ns, "svc-" + i, "svc-" + i + "-" + p, ip++, true);
                s.pods.put(pod.name(), pod);
            }
            all.put(ns + "/svc-" + i, s);
        }
        bytesPublished = 0;
        eventsPublished = 0;
        long t0 = System.nanoTime();
        long writes = 0;
        List<CompletableFuture<?>> sends = new ArrayList<>();
        for (ServiceState s : all.values()) {
            writes += sync(s, sends);
        }
        long planned = System.nanoTime();
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
        long done = System.nanoTime();
        if (!print) {
            return all;
        }
        System.out.printf("%n[cold] %d Services x %d Pods = %d endpoints%n", services, podsPerService,
                services * podsPerService);
        System.out.printf("  converge: %.2f s (planning %.2f s, Kafka acks %.2f s more)%n", (done - t0) / 1e9,
                (planned - t0) / 1e9, (done - planned) / 1e9);
        System.out.printf("  API writes: %d (%.2f per Service)%n", writes, (double) writes / services);
        System.out.printf("  events published: %d endpointslices events, %.1f MiB of JSON (%.0f B/event)%n",
                eventsPublished, bytesPublished / 1048576.0, (double) bytesPublished / eventsPublished);
        long again = 0;
        for (ServiceState s : all.values()) {
            again += sync(s, new ArrayList<>());
        }
        System.out.printf("  resync with nothing changed: %d API writes%n", again);
        return all;
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private void roll(int podCount) {
        ServiceState s = new ServiceState(service("roll", "big"));
        for (int i = 0; i < podCount; i++) {
            PodView p = pod("roll", "big", "big-" + i, 1_000_000 + i, true);
            s.pods.put(p.name(), p);
        }
        sync(s, new ArrayList<>());
        SortedChunkPeer peer = new SortedChunkPeer(100, s.service, nodes);
        peer.sync(s.pods.values());
        long writes = 0;
        long peerWrites = 0;
        long bytesBefore = bytesPublished;
        long peerBytes = 0;
        int changes = 0;
        for (int i = 0; i < podCount; i++) {
            // a rolling update step: the new Pod becomes ready, the old one terminates, then is gone
            PodView fresh = pod("roll", "big", "big-r" + i, 2_000_000 + i, true);
            PodView old = s.pods.get("big-" + i);
            PodView terminating = new PodView(old.namespace(), old.name(), old.uid(), "2", AT, old.nodeName(),
                    old.phase(), old.podIPs(), false, null, null, old.ready(), true, old.labels(),
                    old.containerPorts());
            for (Runnable step : List.<Runnable>of(() -> s.pods.put(fresh.name(), fresh),
                    () -> s.pods.put(old.name(), terminating), () -> s.pods.remove(old.name()))) {
                step.run();
                writes += sync(s, new ArrayList<>());
                SortedChunkPeer.Result r = peer.sync(s.pods.values());
                peerWrites += r.writes();
                peerBytes += r.bytes();
                changes++;
            }
        }
        long bytes = bytesPublished - bytesBefore;
        System.out.printf("%n[roll] one Service of %d Pods replaced Pod by Pod (%d Pod changes: add, terminate, delete)%n",
                podCount, changes);
        System.out.printf("  slice writes per Pod change: %.3f (peer: sorted fixed-size chunks %.3f; ratio %.3f)%n",
                (double) writes / changes, (double) peerWrites / changes, (double) writes / Math.max(1, peerWrites));
        System.out.printf("  bytes published per Pod change: %.0f (peer %.0f; ratio %.3f)%n", (double) bytes / changes,
                (double) peerBytes / changes, (double) bytes / Math.max(1, peerBytes));
        System.out.printf("  slices at the end: %d, sizes %s%n", s.slices.size(),
                Arrays.toString(s.slices.values().stream().mapToInt(x -> x.endpoints().size()).sorted().toArray()));
    }

    private void latency(String bootstrap, int podCount, int samples) throws Exception {
        ServiceState s = new ServiceState(service("lat", "lat"));
        for (int i = 0; i < podCount; i++) {
            PodView p = pod("lat", "lat", "lat-" + i, 3_000_000 + i, true);
            s.pods.put(p.name(), p);
        }
        sync(s, new ArrayList<>());
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        List<Long> latencies = new ArrayList<>();
        CountDownLatch[] next = new CountDownLatch[1];
        EventHandler handler = new EventHandler() {
            @Override
            public void onEvent(Topic<?> topic, String key, ContractEvent value) {
                Long t = value == null ? null : sentAt.remove(value.resourceVersion());
                if (t != null) {
                    synchronized (latencies) {
                        latencies.add(System.nanoTime() - t);
                    }
                    next[0].countDown();
                }
            }
        };
        try (SnapshotFollower follower = new SnapshotFollower(bootstrap, "bench-latency", List.of(Topics.ENDPOINT_SLICES),
                handler).start()) {
            follower.awaitCaughtUp(Duration.ofSeconds(60));
            for (int i = 0; i < samples; i++) {
                String name = "lat-" + (i % podCount);
                PodView p = s.pods.get(name);
                PodView flipped = new PodView(p.namespace(), p.name(), p.uid(), "x", AT, p.nodeName(), p.phase(),
                        p.podIPs(), false, null, null, !p.ready(), false, p.labels(), p.containerPorts());
                next[0] = new CountDownLatch(1);
                long t0 = System.nanoTime();
                s.pods.put(name, flipped);
                sentAt.put(Long.toString(rv.get() + 1), t0);
                sync(s, new ArrayList<>());
                if (!next[0].await(10, TimeUnit.SECONDS)) {
                    System.out.printf("  sample %d not received%n", i);
                }
            }
        }
        latencies.sort(Long::compare);
        System.out.printf("%n[latency] Pod readiness flip -> plan -> publish -> consumed by a SnapshotFollower, %d samples"
                + " on a %d-Pod Service%n", latencies.size(), podCount);
        System.out.printf("  p50 %.2f ms, p99 %.2f ms, max %.2f ms (includes the producer's 5 ms linger; excludes the"
                + " API server round trip)%n", pct(latencies, 0.50), pct(latencies, 0.99),
                latencies.get(latencies.size() - 1) / 1e6);
    }

    private static double pct(List<Long> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1)) / 1e6;
    }
}
