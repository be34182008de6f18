package io.netplane.endpoints.bench;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netplane.api.events.ContractEvent;
import io.netplane.api.events.EndpointSliceView;
import io.netplane.api.events.Topic;
import io.netplane.api.events.Topics;
import io.netplane.runtime.kafka.EventHandler;
import io.netplane.runtime.kafka.SnapshotFollower;
import io.netplane.testing.kafka.KafkaBroker;
import io.netplane.testing.kube.KubeApiServer;
import io.netplane.testing.process.QuarkusApp;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * End to end through the real parts: a real kube-apiserver + etcd, the packaged endpoints-operator as its own
 * process, the real broker. A Pod's readiness is flipped through the status subresource; the clock stops when a
 * consumer reads the EndpointSliceView that shows the new readiness. Also reads the operator's own write counter.
 */
public final class ApiLatencyBench {
    private static final String NS = "bench";

    public static void main(String[] args) throws Exception {
        int pods = Integer.parseInt(args.length > 0 ? args[0] : "100");
        int samples = Integer.parseInt(args.length > 1 ? args[1] : "200");
        Map<String, Boolean> seen = new ConcurrentHashMap<>();
        String[] awaited = new String[1];
        CountDownLatch[] latch = new CountDownLatch[] {new CountDownLatch(1)};
        long[] receivedAt = new long[1];
        EventHandler handler = new EventHandler() {
            @Override
            public void onEvent(Topic<?> topic, String key, ContractEvent value) {
                if (!(value instanceof EndpointSliceView v)) {
                    return;
                }
                long now = System.nanoTime();
                for (var e : v.endpoints()) {
                    String state = e.targetRef().name() + "=" + e.ready();
                    seen.put(e.targetRef().name(), e.ready());
                    if (state.equals(awaited[0])) {
                        receivedAt[0] = now;
                        latch[0].countDown();
                    }
                }
            }
        };
        try (KubeApiServer kube = KubeApiServer.start();
                KafkaBroker broker = KafkaBroker.start(Files.createTempDirectory("bench-api-kafka-"), 0);
                KubernetesClient client = kube.newClient()) {
            client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
            Map<String, String> config = new HashMap<>(kube.quarkusConfig(NS));
            config.put("kafka.bootstrap.servers", broker.bootstrapServers());
            try (QuarkusApp app = QuarkusApp.start("endpoints-operator", config, Duration.ofSeconds(180));
                    SnapshotFollower follower = new SnapshotFollower(broker.bootstrapServers(), "bench-api",
                            List.of(Topics.ENDPOINT_SLICES), handler).start()) {
                for (int n = 0; n < 3; n++) {
                    Node node = client.resource(new NodeBuilder().withNewMetadata().withName("bench-" + n)
                            .withLabels(Map.of("topology.kubernetes.io/zone", "zone-" + n)).endMetadata().build())
                            .create();
                    node.setStatus(new NodeStatusBuilder().withAllocatable(Map.of("cpu", new Quantity("4")))
                            .addNewCondition().withType("Ready").withStatus("True").endCondition().build());
                    client.resource(node).updateStatus();
                }
                client.resource(new ServiceBuilder().withNewMetadata().withNamespace(NS).withName("web").endMetadata()
                        .withNewSpec().withSelector(Map.of("app", "web")).addNewPort().withName("http").withPort(80)
                        .withTargetPort(new IntOrString(8080)).endPort().endSpec().build()).create();
                long setup = System.nanoTime();
                for (int i = 0; i < pods; i++) {
                    Pod p = client.resource(new PodBuilder().withNewMetadata().withNamespace(NS).withName("web-" + i)
                            .withLabels(Map.of("app", "web")).endMetadata().withNewSpec().withNodeName("bench-" + (i % 3))
                            .addNewContainer().withName("c").withImage("registry.invalid/c").endContainer().endSpec()
                            .build()).create();
                    status(client, p, "10.244." + (i / 250) + "." + (i % 250 + 1), true);
                }
                while (seen.size() < pods || seen.containsValue(false)) {
                    Thread.sleep(20);
                }
                System.out.printf("[api] %d Pods created through the API and all ready on Kafka after %.2f s%n", pods,
                        (System.nanoTime() - setup) / 1e9);
                double writesBefore = writes(app);
                List<Long> latencies = new ArrayList<>();
                for (int i = 0; i < samples; i++) {
                    String name = "web-" + (i % pods);
                    boolean ready = !seen.get(name);
                    Pod p = client.pods().inNamespace(NS).withName(name).get();
                    latch[0] = new CountDownLatch(1);
                    awaited[0] = name + "=" + ready;
                    long t0 = System.nanoTime();
                    status(client, p, p.getStatus().getPodIP(), ready);
                    if (latch[0].await(10, TimeUnit.SECONDS)) {
                        latencies.add(receivedAt[0] - t0);
                    } else {
                        System.out.printf("  sample %d timed out%n", i);
                    }
                }
                double writes = writes(app) - writesBefore;
                latencies.sort(Long::compare);
                System.out.printf("[api] Pod readiness flip via the API -> EndpointSliceView consumed from Kafka, %d samples,"
                        + " %d-Pod Service: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", latencies.size(), pods,
                        pct(latencies, 0.5), pct(latencies, 0.99), latencies.get(latencies.size() - 1) / 1e6);
                System.out.printf("[api] slice writes per Pod change (operator's own counter): %.3f%n",
                        writes / samples);
            }
        }
        System.exit(0);
    }

    private static void status(KubernetesClient client, Pod p, String ip, boolean ready) {
        p.setStatus(new PodStatusBuilder().withPhase("Running").withPodIP(ip).addNewPodIP(ip)
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition().build());
        client.resource(p).updateStatus();
    }

    private static double writes(QuarkusApp app) throws Exception {
        String body = app.get("/q/metrics").body();
        Matcher m = Pattern.compile("(?m)^netplane_endpoints_slice_writes_total\\{[^}]*\\} ([0-9.eE+]+)$")
                .matcher(body);
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return total;
    }

    private static double pct(List<Long> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1)) / 1e6;
    }
}
