package io.netplane.policy.bench;

import io.netplane.api.events.EventJson;
import io.netplane.api.events.IpSetView;
import io.netplane.api.events.Topics;
import io.netplane.policy.compiler.CompileDelta;
import io.netplane.policy.compiler.PolicyCompiler;
import io.netplane.policy.model.PodInfo;
import io.netplane.runtime.kafka.EventPublisher;
import io.netplane.runtime.kafka.SnapshotFollower;
import io.netplane.testing.kafka.SharedKafka;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Compile time and retained heap for a synthetic cluster, incremental label-change cost against a full compile of
 * the same cluster (the peer measured in the same run), and label change → updated set received from Kafka.
 * Arguments: pods policies namespaces labelChanges kafkaSamples.
 */
public final class PolicyBench {
    private PolicyBench() {
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private static void run(String[] args) throws Exception {
        int pods = Integer.parseInt(args[0]);
        int policies = Integer.parseInt(args[1]);
        int namespaces = Integer.parseInt(args[2]);
        int changes = Integer.parseInt(args[3]);
        int kafkaSamples = Integer.parseInt(args[4]);
        SyntheticCluster cluster = new SyntheticCluster(pods, policies, namespaces);
        System.out.printf("load average at start: %.1f (other builds share the %d cpus: wall times include waiting for a cpu)%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.getRuntime().availableProcessors());
        System.out.printf("== policy-operator compile: %,d Pods / %,d policies / %,d namespaces (max heap %d MB, %d cpus)%n",
                pods, policies, namespaces, Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());

        compileOnce(cluster, false); // warm-up run (JIT), discarded
        long base = usedAfterGc();
        long cpu0 = cpuNanos();
        long proc0 = processCpuNanos();
        long t0 = System.nanoTime();
        PolicyCompiler compiler = compileOnce(cluster, true);
        long tIndexed = System.nanoTime();
        CompileDelta views = compiler.flush(Instant.now());
        long tViews = System.nanoTime();
        double cpuMs = (cpuNanos() - cpu0) / 1e6;
        double procMs = (processCpuNanos() - proc0) / 1e6;
        long heapWithViews = usedAfterGc() - base;
        long members = views.sets().stream().mapToLong(s -> s.members().size()).sum();
        IpSetView largest = views.sets().stream().max((a, b) -> Integer.compare(a.members().size(), b.members().size())).orElseThrow();
        int largestBytes = EventJson.write(largest).length;
        int setCount = views.sets().size();
        int policyCount = views.policies().size();
        views = null;
        long heapCompiler = usedAfterGc() - base;
        double fullMs = (tViews - t0) / 1e6;
        System.out.printf("full compile (index Namespaces, Pods, policies; build all views): %.0f ms wall; CPU %.0f ms compiling thread,"
                + " %.0f ms whole process incl. GC  (indexing %.0f ms, views %.0f ms wall)%n",
                fullMs, cpuMs, procMs, (tIndexed - t0) / 1e6, (tViews - tIndexed) / 1e6);
        System.out.printf("address sets: %,d shared by %,d policies; %,d memberships; largest set %,d members = %,d bytes of JSON%n",
                setCount, policyCount, members, largest.members().size(), largestBytes);
        System.out.printf("retained heap: compiler state %d MB; with all views %d MB%n", heapCompiler >> 20, heapWithViews >> 20);
        System.out.printf("published anchor (not measured here): Antrea controller, 100k Pods / 75k policies / 25k namespaces: ~6 s, ~1.5 GB%n");

        double[][] lat = labelChanges(cluster, compiler, changes);
        System.out.printf("incremental Pod label change (compile + views of changed sets), %d changes: wall p50 %.3f ms, p99 %.3f ms,"
                + " max %.3f ms; thread CPU p50 %.3f ms, p99 %.3f ms -> %.0fx less CPU than the full compile above%n",
                changes, lat[0][0], lat[0][1], lat[0][2], lat[1][0], lat[1][1], cpuMs / lat[1][0]);

        if (kafkaSamples > 0) {
            kafka(cluster, compiler, kafkaSamples);
        }
    }

    private static PolicyCompiler compileOnce(SyntheticCluster c, boolean print) {
        PolicyCompiler compiler = new PolicyCompiler();
        long t = System.nanoTime();
        for (int i = 0; i < c.namespaceCount(); i++) {
            compiler.upsertNamespace(c.namespace(i), "1");
        }
        t = print ? phase("namespaces", t) : t;
        for (int j = 0; j < c.podCount(); j++) {
            compiler.upsertPod(c.pod(j), "1");
        }
        t = print ? phase("pods", t) : t;
        for (int k = 0; k < c.policyCount(); k++) {
            compiler.upsertPolicy(c.policy(k));
        }
        if (print) {
            phase("policies (validate, share/populate sets)", t);
        }
        return compiler;
    }

    private static long phase(String what, long since) {
        long now = System.nanoTime();
        System.out.printf("  %s: %.0f ms%n", what, (now - since) / 1e6);
        return now;
    }

    private static double[][] labelChanges(SyntheticCluster c, PolicyCompiler compiler, int n) {
        Random r = new Random(42);
        double[] ms = new double[n];
        double[] cpu = new double[n];
        for (int i = 0; i < n; i++) {
            int j = r.nextInt(c.podCount());
            PodInfo changed = c.pod(j, "a" + r.nextInt(5) + (i % 2 == 0 ? "" : "x"));
            long c0 = cpuNanos();
            long t = System.nanoTime();
            compiler.upsertPod(changed, "lc-" + i);
            compiler.flush(Instant.now());
            ms[i] = (System.nanoTime() - t) / 1e6;
            cpu[i] = (cpuNanos() - c0) / 1e6;
        }
        return new double[][] {percentiles(ms), percentiles(cpu)};
    }

    private static void kafka(SyntheticCluster c, PolicyCompiler compiler, int samples) throws Exception {
        String servers = SharedKafka.bootstrapServers();
        Map<String, CompletableFuture<Instant>> pending = new ConcurrentHashMap<>();
        try (EventPublisher publisher = new EventPublisher(servers, "/netplane/policy-operator-bench", Clock.systemUTC())) {
            CompileDelta all = compiler.snapshot(Instant.now());
            long t = System.nanoTime();
            List<CompletableFuture<?>> sent = new java.util.ArrayList<>();
            all.sets().forEach(s -> sent.add(publisher.publish(Topics.IP_SETS, s)));
            all.policies().forEach(p -> sent.add(publisher.publish(Topics.POLICIES, p)));
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
            System.out.printf("publish the whole compiled state to Kafka (%,d sets + %,d policies): %.0f ms%n",
                    all.sets().size(), all.policies().size(), (System.nanoTime() - t) / 1e6);
            all = null;
            try (SnapshotFollower follower = new SnapshotFollower(servers, "policy-bench", List.of(Topics.IP_SETS), (topic, key, value) -> {
                if (value instanceof IpSetView s && s.resourceVersion().startsWith("bench-")) {
                    CompletableFuture<Instant> f = pending.get(s.resourceVersion());
                    if (f != null) {
                        f.complete(Instant.now());
                    }
                }
            }).start()) {
                follower.awaitCaughtUp(Duration.ofMinutes(5));
                Random r = new Random(7);
                double[] ms = new double[samples];
                int done = 0;
                int lost = 0;
                for (int i = 0; done < samples && i < samples * 10; i++) {
                    String rv = "bench-" + i;
                    CompletableFuture<Instant> seen = new CompletableFuture<>();
                    pending.put(rv, seen);
                    int j = r.nextInt(c.podCount());
                    long t0 = System.nanoTime();
                    compiler.upsertPod(c.pod(j, "b" + i), rv);
                    CompileDelta d = compiler.flush(Instant.now());
                    if (d.sets().isEmpty()) {
                        continue; // the Pod was in no set its label decides: nothing to publish
                    }
                    d.sets().forEach(s -> publisher.publish(Topics.IP_SETS, s));
                    try {
                        seen.get(30, TimeUnit.SECONDS);
                        ms[done++] = (System.nanoTime() - t0) / 1e6;
                    } catch (java.util.concurrent.TimeoutException e) {
                        lost++;
                    }
                }
                ms = Arrays.copyOf(ms, done);
                if (lost > 0) {
                    System.out.printf("WARNING: %d updated sets not received within 30 s%n", lost);
                }
                samples = done;
                if (done == 0) {
                    System.out.println("no label change produced a set update");
                    return;
                }
                double[] p = percentiles(ms);
                System.out.printf("Pod label change -> updated set received from Kafka (compile + publish acks=all + consume), %d samples:"
                        + " p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", samples, p[0], p[1], p[2]);
            }
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long cpuNanos() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static double[] percentiles(double[] ms) {
        double[] s = ms.clone();
        Arrays.sort(s);
        return new double[] {s[s.length / 2], s[Math.min(s.length - 1, (int) Math.ceil(s.length * 0.99) - 1)], s[s.length - 1]};
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
