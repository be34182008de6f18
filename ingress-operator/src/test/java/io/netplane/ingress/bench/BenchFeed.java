package io.netplane.ingress.bench;

import io.netplane.api.events.EndpointSliceView;
import io.netplane.api.events.EndpointSliceView.EndpointPortView;
import io.netplane.api.events.EndpointSliceView.EndpointView;
import io.netplane.api.events.RouteView;
import io.netplane.api.events.RouteView.BackendView;
import io.netplane.api.events.RouteView.PathView;
import io.netplane.api.events.RouteView.RuleView;
import io.netplane.api.events.RouteView.TlsView;
import io.netplane.api.events.Topics;
import io.netplane.runtime.kafka.EventPublisher;
import io.netplane.testing.kafka.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts a KRaft broker on loopback, publishes the backend's EndpointSlice (Service {@code bench/backend}, port
 * {@code http} on the given loopback port) and routes: Ingress {@code bench/r<i>} sends host
 * {@code r<i>.bench.example}, Prefix /, to that Service, with TLS from Secret {@code bench/bench-tls}. Writes the
 * bootstrap address to {@code <workdir>/bootstrap} once the first routes are published; afterwards, whenever
 * {@code <workdir>/routes} holds a larger count, publishes the routes up to it and writes the count to
 * {@code <workdir>/routes.done}. Runs until killed.
 *   BenchFeed <workdir> <backendPort> <routes>
 */
public final class BenchFeed {
    private BenchFeed() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        int backendPort = Integer.parseInt(args[1]);
        int routes = Integer.parseInt(args[2]);
        KafkaBroker broker = KafkaBroker.start(Files.createTempDirectory(work, "kafka"), 0);
        try (EventPublisher publisher = new EventPublisher(broker.bootstrapServers(), "/bench", Clock.systemUTC())) {
            publisher.publish(Topics.ENDPOINT_SLICES, new EndpointSliceView("bench", "backend-1", "1", Instant.now(),
                    "backend", "IPv4", "bench", List.of(new EndpointPortView("http", "TCP", backendPort, null)),
                    List.of(new EndpointView(List.of("127.0.0.1"), true, true, false, null, null, null, null, null, null))))
                    .get(60, TimeUnit.SECONDS);
            publishRoutes(publisher, 0, routes);
            Files.writeString(work.resolve("bootstrap"), broker.bootstrapServers());
            Path wanted = work.resolve("routes");
            while (true) {
                if (Files.exists(wanted)) {
                    int more = Integer.parseInt(Files.readString(wanted).trim());
                    if (more > routes) {
                        publishRoutes(publisher, routes, more);
                        routes = more;
                        Files.writeString(work.resolve("routes.done"), Integer.toString(routes));
                    }
                }
                Thread.sleep(100);
            }
        }
    }

    private static void publishRoutes(EventPublisher publisher, int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            String host = "r" + i + ".bench.example";
            publisher.publish(Topics.ROUTES, new RouteView("bench", "r" + i, "1", Instant.now(), "netplane", null,
                    List.of(new RuleView(host, List.of(new PathView("/", "Prefix",
                            new BackendView("backend", 80, "http"))))),
                    List.of(new TlsView(List.of(host), "bench-tls")), Instant.now()));
        }
        publisher.flush();
    }
}
