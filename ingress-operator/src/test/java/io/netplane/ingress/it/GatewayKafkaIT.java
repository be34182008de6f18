package io.netplane.ingress.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netplane.api.events.EndpointSliceView;
import io.netplane.api.events.EndpointSliceView.EndpointPortView;
import io.netplane.api.events.EndpointSliceView.EndpointView;
import io.netplane.api.events.RouteView;
import io.netplane.api.events.RouteView.BackendView;
import io.netplane.api.events.RouteView.PathView;
import io.netplane.api.events.RouteView.RuleView;
import io.netplane.api.events.Topics;
import io.netplane.ingress.gateway.GatewayService;
import io.netplane.runtime.kafka.EventPublisher;
import io.netplane.testing.kafka.KafkaTestResource;
import io.netplane.testing.kafka.SharedKafka;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The gateway alone (controller off, no Kubernetes API) fed through the real Kafka broker: routes and
 * EndpointSlices published with EventPublisher, requests through the gateway's listener to a loopback backend.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class GatewayKafkaIT {

    @Inject
    GatewayService gateway;

    @io.quarkus.test.common.http.TestHTTPResource("/q/health/ready")
    java.net.URL readiness;

    @io.quarkus.test.common.http.TestHTTPResource("/q/metrics")
    java.net.URL metrics;

    static String fetch(java.net.URL url) {
        try {
            var response = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(url.toURI()).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return response.statusCode() + " " + response.body();
        } catch (Exception e) {
            return e.toString();
        }
    }

    static RouteView route(String name, String className, String host, String service) {
        return new RouteView("kafka-it", name, "1", Instant.now(), className, null,
                List.of(new RuleView(host, List.of(new PathView("/", "Prefix", new BackendView(service, 80, "http"))))),
                List.of(), Instant.parse("2026-01-01T00:00:00Z"));
    }

    static EndpointSliceView slice(String service, int port, boolean ready) {
        return new EndpointSliceView("kafka-it", service + "-abc", "1", Instant.now(), service, "IPv4", "test",
                List.of(new EndpointPortView("http", "TCP", port, null)),
                List.of(new EndpointView(List.of("127.0.0.1"), ready, ready, false, null, null, null, null, null, null)));
    }

    @Test
    void servesRoutesAndEndpointsFromKafka() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> fetch(readiness).startsWith("200 "));
        assertThat(fetch(readiness)).contains("\"snapshot\": \"loaded\"");
        try (LoopbackBackend backend = new LoopbackBackend("kafka-backend");
                EventPublisher publisher = new EventPublisher(SharedKafka.bootstrapServers(), "/test", Clock.systemUTC())) {
            publisher.publish(Topics.ROUTES, route("web", "netplane", "web.kafka.example", "web")).get(30, TimeUnit.SECONDS);
            publisher.publish(Topics.ROUTES, route("other", "nginx", "other.kafka.example", "web")).get(30, TimeUnit.SECONDS);
            int port = gateway.httpPort();

            // the route exists but no endpoint yet: 503 with a reason
            await().atMost(Duration.ofSeconds(30)).until(() -> HttpProbe.get(port, "web.kafka.example", "/").status() == 503);
            assertThat(HttpProbe.get(port, "web.kafka.example", "/").body()).contains("no ready endpoints for service kafka-it/web:http");

            publisher.publish(Topics.ENDPOINT_SLICES, slice("web", backend.port(), true)).get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> HttpProbe.get(port, "web.kafka.example", "/x").status() == 200);
            assertThat(HttpProbe.get(port, "web.kafka.example", "/hello?a=1").body()).isEqualTo("kafka-backend /hello?a=1");

            assertThat(fetch(metrics)).containsPattern("netplane_ingress_requests_total\\{status=\"2xx\"\\} [1-9]");

            // another class's route is not served by this gateway
            assertThat(HttpProbe.get(port, "other.kafka.example", "/").status()).isEqualTo(404);

            // the endpoint turns not-ready, then the route is withdrawn
            publisher.publish(Topics.ENDPOINT_SLICES, slice("web", backend.port(), false)).get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> HttpProbe.get(port, "web.kafka.example", "/").status() == 503);
            publisher.tombstone(Topics.ROUTES, "kafka-it/web").get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> HttpProbe.get(port, "web.kafka.example", "/").status() == 404);
        }
    }
}
