package io.netplane.ingress.bench;

import io.netplane.api.events.EndpointSliceView;
import io.netplane.api.events.EndpointSliceView.EndpointPortView;
import io.netplane.api.events.EndpointSliceView.EndpointView;
import io.netplane.api.events.RouteView;
import io.netplane.api.events.RouteView.BackendView;
import io.netplane.api.events.RouteView.PathView;
import io.netplane.api.events.RouteView.RuleView;
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
 * Starts a KRaft broker on loopback, publishes one route ({@code bench.example} Prefix / to Service
 * {@code bench/backend:http}) and its EndpointSlice (the given loopback port), writes the bootstrap address to
 * {@code <workdir>/bootstrap}, then keeps the broker up until killed.
 *   BenchFeed <workdir> <backendPort>
 */
public final class BenchFeed {
    private BenchFeed() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        int backendPort = Integer.parseInt(args[1]);
        KafkaBroker broker = KafkaBroker.start(Files.createTempDirectory(work, "kafka"), 0);
        try (EventPublisher publisher = new EventPublisher(broker.bootstrapServers(), "/bench", Clock.systemUTC())) {
            publisher.publish(Topics.ROUTES, new RouteView("bench", "bench", "1", Instant.now(), "netplane", null,
                    List.of(new RuleView("bench.example", List.of(new PathView("/", "Prefix",
                            new BackendView("backend", 80, "http"))))), List.of(), Instant.now()))
                    .get(60, TimeUnit.SECONDS);
            publisher.publish(Topics.ENDPOINT_SLICES, new EndpointSliceView("bench", "backend-1", "1", Instant.now(),
                    "backend", "IPv4", "bench", List.of(new EndpointPortView("http", "TCP", backendPort, null)),
                    List.of(new EndpointView(List.of("127.0.0.1"), true, true, false, null, null, null, null, null, null))))
                    .get(60, TimeUnit.SECONDS);
        }
        Files.writeString(work.resolve("bootstrap"), broker.bootstrapServers());
        Thread.currentThread().join();
    }
}
