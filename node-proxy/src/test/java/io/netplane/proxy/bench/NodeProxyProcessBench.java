package io.netplane.proxy.bench;

import io.netplane.api.events.NodeView;
import io.netplane.api.events.Topics;
import io.netplane.runtime.kafka.EventPublisher;
import io.netplane.testing.kafka.KafkaBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Benchmark (run by bench/node-proxy.sh inside a network namespace of its own, not a test): the whole node-proxy
 * process, its Quarkus jar started with the image's JVM options, fed N Services x M endpoints from a real broker
 * as a node's proxy is. Measures the process start to every Service programmed (readiness), API-free event to
 * rules from outside (publish to the partial sync done, as bench/kube-proxy-peer.sh measures kube-proxy from the
 * API write), and the process's resident memory, which is what the DaemonSet's memory limit and kube-proxy's
 * RSS are about.
 * <p>
 * Arguments: services endpoints quarkus-run.jar jvm.options max-ram netlink-helper nft
 */
public final class NodeProxyProcessBench {
    static final String NODE = "bench-node";
    static final String NODE_IP = "10.240.0.1";
    static final String READY = "http://127.0.0.1:10256/q/health/ready";
    static final String METRICS = "http://127.0.0.1:10249/q/metrics";
    static final String PARTIAL = "netplane_proxy_sync_duration_seconds_count{";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public static void main(String[] args) throws Exception {
        int services = Integer.parseInt(args[0]);
        int endpoints = Integer.parseInt(args[1]);
        Path work = Files.createTempDirectory("np-proc-bench");
        Process proxy = null;
        try (KafkaBroker broker = KafkaBroker.start(work.resolve("kafka"), 0);
                EventPublisher events = new EventPublisher(broker.bootstrapServers(), "/netplane/bench",
                        Clock.systemUTC())) {
            broker.createTopics(Topics.ALL);
            events.publish(Topics.NODES, new NodeView(NODE, "uid", "1", Instant.now(),
                    List.of(new NodeView.NodeAddressView("InternalIP", NODE_IP)), "zone-a", List.of(), true, 4000,
                    Map.of())).get();
            List<CompletableFuture<?>> sent = new ArrayList<>();
            for (int i = 0; i < services; i++) {
                sent.add(events.publish(Topics.SERVICES, BenchObjects.service(i)));
                sent.add(events.publish(Topics.ENDPOINT_SLICES, BenchObjects.slice(i, 0, endpoints)));
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get();

            List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                    "@" + args[3], "-XX:MaxRAM=" + args[4]));
            // NODE_PROXY_OPTS: more JVM options for node-proxy, to try some (e.g. -XX:NativeMemoryTracking=summary)
            command.addAll(Arrays.stream(System.getenv().getOrDefault("NODE_PROXY_OPTS", "").split(" "))
                    .filter(o -> !o.isBlank()).toList());
            command.addAll(List.of(
                    "-Dkafka.bootstrap.servers=" + broker.bootstrapServers(),
                    "-Dnetplane.proxy.node-name=" + NODE, "-Dnetplane.proxy.netlink-helper=" + args[5],
                    "-Dnetplane.proxy.nft-command=" + args[6], "-Dquarkus.http.port=10256",
                    // the kernel's conntrack timeouts stay as they are (the bench namespace shares them)
                    "-Dnetplane.proxy.conntrack.tcp-close-wait-timeout=0",
                    "-Dnetplane.proxy.conntrack.tcp-established-timeout=0", "-jar", args[2]));
            long t0 = System.nanoTime();
            proxy = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(work.resolve("node-proxy.log").toFile()).start();
            Process p = proxy;
            NodeProxyBench.Proxy.await(() -> !p.isAlive() || status(READY) == 200);
            if (!proxy.isAlive()) {
                throw new IllegalStateException("node-proxy exited:\n" + Files.readString(work.resolve("node-proxy.log")));
            }
            long startMs = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("node-proxy process: start to every Service programmed (ready) %d ms%n", startMs);

            // single changes from outside, each after a quiet interval: publish, then the partial sync done
            int changes = 30;
            long[] seen = new long[changes];
            for (int c = 0; c < changes; c++) {
                int svc = (c * 97) % services;
                double before = metric(PARTIAL);
                long s0 = System.nanoTime();
                events.publish(Topics.ENDPOINT_SLICES, BenchObjects.slice(svc, 2 + svc % 7, endpoints)).get();
                NodeProxyBench.Proxy.await(() -> metric(PARTIAL) > before);
                seen[c] = System.nanoTime() - s0;
                Thread.sleep(300);
            }
            Arrays.sort(seen);
            long p50 = seen[(changes - 1) / 2] / 1_000_000;
            long p99 = seen[(int) Math.ceil(0.99 * changes) - 1] / 1_000_000;
            System.out.printf("node-proxy process: event published to rules, %d changes: p50 %d ms, p99 %d ms%n",
                    changes, p50, p99);

            // as kube-proxy's is read: after its series of changes, without forcing anything
            long pid = proxy.pid();
            long rss = Long.parseLong(NodeProxyBench.status(Long.toString(pid), "VmRSS").replace(" kB", ""));
            System.out.printf("node-proxy process: resident %d kB (peak %s)%n", rss,
                    NodeProxyBench.status(Long.toString(pid), "VmHWM"));
            if (command.stream().anyMatch(o -> o.startsWith("-XX:NativeMemoryTracking"))) {
                new ProcessBuilder("jcmd", Long.toString(pid), "VM.native_memory", "summary").inheritIO().start()
                        .waitFor();
            }
            System.out.printf("NODEPROXY start_ms=%d outside_p50_ms=%d outside_p99_ms=%d rss_kb=%d%n", startMs, p50, p99, rss);
        } finally {
            if (proxy != null) {
                proxy.destroy();
                proxy.waitFor();
            }
            // NETPLANE_BENCH_KEEP_LOGS=DIR keeps node-proxy's log
            String keep = System.getenv("NETPLANE_BENCH_KEEP_LOGS");
            if (keep != null && Files.exists(work.resolve("node-proxy.log"))) {
                Files.createDirectories(Path.of(keep));
                Files.copy(work.resolve("node-proxy.log"), Path.of(keep, "node-proxy.log"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /** The partial syncs' count: the series starting with {@code prefix} and tagged kind=partial in /q/metrics. */
    static double metric(String prefix) {
        try {
            String text = HTTP.send(HttpRequest.newBuilder(URI.create(METRICS)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return text.lines().filter(l -> l.startsWith(prefix) && l.contains("kind=\"partial\""))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        } catch (Exception e) {
            return -1;
        }
    }
}
