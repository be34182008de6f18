package io.netplane.proxy.bench;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netplane.api.events.Topics;
import io.netplane.api.net.IpFamily;
import io.netplane.proxy.fixtures.NetnsLab;
import io.netplane.proxy.fixtures.ServiceBuilder;
import io.netplane.proxy.fixtures.SliceBuilder;
import io.netplane.proxy.nft.TableShards;
import io.netplane.proxy.sync.NftApplier;
import io.netplane.proxy.sync.NftDataplane;
import io.netplane.proxy.sync.SyncLoop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Benchmark (run by bench/node-proxy.sh, not a test): node-proxy's own sync loop and nftables data plane, fed N
 * Services x M endpoints as the Kafka follower feeds them, programming a network namespace. A node's first start
 * (empty kernel), a restart (its tables present: the full sync), a one-endpoint change, an added Service, the
 * time from a change's event to its rules (a series of single changes), resident memory, then TCP connection rate
 * and latency through a ClusterIP vs straight to the backend.
 */
public final class NodeProxyBench {
    static final String TABLE = "netplane-proxy";

    public static void main(String[] args) throws Exception {
        int services = Integer.parseInt(args[0]);
        int endpoints = Integer.parseInt(args[1]);
        double seconds = Double.parseDouble(args[2]);
        int changes = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        try (NetnsLab lab = new NetnsLab().start()) {
            // with the netlink helper, as the image has it (changes it can encode skip nft)
            NftApplier nft = new NftApplier(System.getProperty("netplane.bench.nft", "nft"), Optional.of(lab.node))
                    .withNetlink(System.getProperty("netplane.bench.netlink", "node-proxy/target/netplane-nl/netplane-nl"));
            System.out.printf("services=%d endpoints/service=%d tables/family=%d%n", services, endpoints,
                    TableShards.forServices(services + 1));

            long firstStart = firstStart(nft, services, endpoints);
            System.out.printf("first start (empty kernel; in batches above 2,000 Services): %d ms%n", firstStart);

            // a restart: the tables are there, so the first sync replaces them, one transaction per table
            Proxy proxy = new Proxy(nft, services, endpoints);
            proxy.caughtUpAndSynced();
            long full = ms((long) proxy.timer("full").totalTime(TimeUnit.NANOSECONDS));
            long lines = 0;
            long chains = 0;
            // listed with a plain nft: the ruleset's size is the bench's question, not the proxy's work
            NftApplier lister = new NftApplier("nft", Optional.of(lab.node));
            int k = proxy.plane.tablesPerFamily();
            for (int s = 0; s < k; s++) {
                String listed = lister.list("ip " + TableShards.name(TABLE, s, k));
                lines += listed.lines().count();
                chains += listed.lines().filter(l -> l.stripLeading().startsWith("chain ")).count();
            }
            System.out.printf("full sync (restart, render + nft): %d ms ('nft list' %d lines, %d chains, %d rules)%n",
                    full, lines, chains, proxy.plane.ruleCount());

            long change = proxy.partial(() -> proxy.slice(7, 1));
            System.out.printf("one-Service change (1 of %d endpoints replaced): %d ms%n", endpoints, change);
            long add = proxy.partial(() -> {
                proxy.service(services);
                proxy.slice(services, 0);
            });
            System.out.printf("add one Service at this size: %d ms%n", add);

            // event to rules: single changes, each after a quiet min-sync-interval, as a rolling update makes them
            Timer latency = proxy.registry.find("netplane.proxy.network.programming.latency").timer();
            long before = latency.count();
            long[] seen = new long[changes];
            for (int i = 0; i < changes; i++) {
                int svc = (i * 97) % services;
                long t0 = System.nanoTime();
                proxy.partial(() -> proxy.slice(svc, 2 + (svc % 7)));
                seen[i] = System.nanoTime() - t0;
                Thread.sleep(Proxy.MIN_SYNC.toMillis() + 20);
            }
            // exact percentiles of the series (the metric's own are approximations), and the metric's count as a check
            java.util.Arrays.sort(seen);
            double p50 = ms(seen[(changes - 1) / 2]);
            double p99 = ms(seen[(int) Math.ceil(0.99 * changes) - 1]);
            System.out.printf("event to rules, %d single changes (%d in netplane_proxy_network_programming_latency): "
                    + "p50 %.0f ms, p99 %.0f ms, max %d ms; slowest five %s ms%n", changes, latency.count() - before,
                    p50, p99, ms(seen[changes - 1]), java.util.Arrays.stream(seen).skip(Math.max(0, changes - 5))
                            .mapToObj(n -> Long.toString(ms(n))).toList());

            // as the loop left it (kube-proxy's figure is taken so too), then after a full collection
            String rss = status("VmRSS");
            System.gc();
            String rssAfterGc = status("VmRSS");
            Runtime rt = Runtime.getRuntime();
            System.out.printf("resident memory (JVM with the cluster state, tables and sync loop): %s, %s after a "
                    + "full GC (peak %s); heap %d MB used of %d MB%n", rss, rssAfterGc, status("VmHWM"),
                    (rt.totalMemory() - rt.freeMemory()) >> 20, rt.totalMemory() >> 20);
            // for bench/node-proxy.sh's ratios against kube-proxy (bench/kube-proxy-peer.sh prints the same keys)
            System.out.printf("NODEPROXY full_ms=%d first_ms=%d change_ms=%d add_ms=%d latency_p50_ms=%.0f "
                    + "latency_p99_ms=%.0f lines=%d chains=%d engine_rss_kb=%s engine_rss_gc_kb=%s%n", full, firstStart, change, add,
                    p50, p99, lines, chains, rss.replace(" kB", ""), rssAfterGc.replace(" kB", ""));

            // each measurement uses its own (identical) backend: reusing one would make new flows collide with the
            // previous run's TIME_WAIT conntrack entries (same reply tuple) and measure that instead
            String direct = lab.bench(lab.client, NetnsLab.backendIp(2), NetnsLab.BACKEND_PORT, seconds);
            String viaVip = lab.bench(lab.client, Proxy.PROBE_IP, 80, seconds);
            // peer: one hand-written DNAT rule in a table of its own, to separate kernel NAT cost from our rules
            nft.apply("add table ip bench-peer\nadd chain ip bench-peer pre { type nat hook prerouting priority -100 ; }\n"
                    + "add rule ip bench-peer pre ip daddr 10.96.255.251 tcp dport 80 dnat to "
                    + NetnsLab.backendIp(3) + ":" + NetnsLab.BACKEND_PORT + "\n");
            String bare = lab.bench(lab.client, "10.96.255.251", 80, seconds);
            proxy.close();
            String[] p = bare.trim().split(" ");
            double pRate = Double.parseDouble(p[0]) / seconds;
            String[] d = direct.trim().split(" ");
            String[] v = viaVip.trim().split(" ");
            double dRate = Double.parseDouble(d[0]) / seconds;
            double vRate = Double.parseDouble(v[0]) / seconds;
            System.out.printf("data path, direct to backend: %.0f conn/s, mean %s us, p99 %s us%n", dRate, d[1], d[2]);
            System.out.printf("data path, via ClusterIP (%d Services): %.0f conn/s, mean %s us, p99 %s us%n",
                    services + 2, vRate, v[1], v[2]);
            System.out.printf("data path, one bare DNAT rule (peer): %.0f conn/s, mean %s us, p99 %s us%n", pRate, p[1], p[2]);
            System.out.printf("ratio ClusterIP/direct: rate %.2f, mean latency %.2f%n", vRate / dRate,
                    Double.parseDouble(v[1]) / Double.parseDouble(d[1]));
            System.out.printf("ratio ClusterIP/bare DNAT: rate %.2f, mean latency %.2f%n", vRate / pRate,
                    Double.parseDouble(v[1]) / Double.parseDouble(p[1]));
        }
    }

    /** A node's first start, in ms; that proxy is gone (and its memory collectable) when this returns. */
    static long firstStart(NftApplier nft, int services, int endpoints) throws InterruptedException {
        try (Proxy first = new Proxy(nft, services, endpoints)) {
            return first.caughtUpAndSynced();
        }
    }

    /** One node-proxy's sync loop and data plane, fed the bench's Services the way its Kafka follower feeds them. */
    static final class Proxy implements AutoCloseable {
        static final Duration MIN_SYNC = Duration.ofMillis(200);
        static final String PROBE_IP = "10.96.255.250";
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final NftDataplane plane;
        final SyncLoop loop;
        final int endpoints;

        Proxy(NftApplier nft, int services, int endpoints) {
            this.endpoints = endpoints;
            this.plane = new NftDataplane(new NftDataplane.Settings(TABLE, List.of(NetnsLab.CLUSTER_CIDR),
                    List.of("10.96.0.0/12"), List.of(), false, 14, 0), nft, null);
            // the loop as node-proxy's defaults configure it (min-sync-interval 200ms, retry 1s)
            this.loop = new SyncLoop(new SyncLoop.Settings("bench-node", List.of(IpFamily.IPv4), null, true,
                    MIN_SYNC, Duration.ofSeconds(1)), plane, Clock.systemUTC(), registry).start();
            for (int i = 0; i < services; i++) {
                service(i);
                slice(i, 0);
            }
            // the Service the data-path measurement uses: one backend, b1
            loop.onEvent(Topics.SERVICES, "bench/probe", ServiceBuilder.service("bench", "probe", PROBE_IP)
                    .port("http", "TCP", 80, NetnsLab.BACKEND_PORT).build());
            loop.onEvent(Topics.ENDPOINT_SLICES, "bench/probe-a", SliceBuilder.slice("bench", "probe-a", "probe")
                    .port("http", "TCP", NetnsLab.BACKEND_PORT).ready(NetnsLab.backendIp(1), "bench-node").build());
        }

        /** Service i: ClusterIP 10.96.0.0 + i + 1. */
        void service(int i) {
            loop.onEvent(Topics.SERVICES, "bench/svc-" + i, BenchObjects.service(i));
        }

        /** Service i's slice, its endpoints shifted by {@code shift}. */
        void slice(int i, int shift) {
            loop.onEvent(Topics.ENDPOINT_SLICES, "bench/svc-" + i + "-a", BenchObjects.slice(i, shift, endpoints));
        }

        Timer timer(String kind) {
            return registry.find("netplane.proxy.sync.duration").tag("kind", kind).timer();
        }

        /** From the end of the snapshot to every Service programmed, in ms. */
        long caughtUpAndSynced() throws InterruptedException {
            long t0 = System.nanoTime();
            loop.onCaughtUp();
            await(loop::synced);
            return ms(System.nanoTime() - t0);
        }

        /** Sends the events, waits for the partial sync they cause; that sync's duration in ms. */
        long partial(Runnable events) throws InterruptedException {
            Timer t = timer("partial");
            long count = t.count();
            double total = t.totalTime(TimeUnit.NANOSECONDS);
            events.run();
            await(() -> t.count() > count);
            return ms((long) (t.totalTime(TimeUnit.NANOSECONDS) - total));
        }

        static void await(BooleanSupplier done) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
            while (!done.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no sync within 15 minutes");
                }
                Thread.sleep(2);
            }
        }

        @Override
        public void close() {
            loop.close();
        }
    }

    static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    /** A field of /proc/self/status, e.g. VmRSS: "123456 kB". */
    static String status(String field) throws Exception {
        return status("self", field);
    }

    /** A field of /proc/PID/status. */
    static String status(String pid, String field) throws Exception {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith(field + ":"))
                .map(l -> l.substring(field.length() + 1).trim()).findFirst().orElse("?");
    }
}
