package io.netplane.proxy.it;

import static io.netplane.proxy.fixtures.ServiceBuilder.service;
import static io.netplane.proxy.fixtures.SliceBuilder.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netplane.api.events.Topics;
import io.netplane.proxy.fixtures.LoopbackBackends;
import io.netplane.proxy.fixtures.ServiceBuilder;
import io.netplane.proxy.fixtures.SliceBuilder;
import io.netplane.runtime.kafka.EventPublisher;
import io.netplane.testing.kafka.KafkaTestResource;
import io.netplane.testing.kafka.SharedKafka;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Userspace mode with real sockets on loopback: Services on 127.0.77.x ClusterIPs, backends on 127.0.0.1.
 * Also checks the HTTP surfaces (/healthz, readiness, metrics, healthCheckNodePort) of a running proxy: metrics
 * only on the management listener (loopback in production), health on the main one.
 */
@QuarkusTest
@TestProfile(UserspaceProfile.class)
@QuarkusTestResource(KafkaTestResource.class)
class UserspaceIT {
    static EventPublisher publisher;
    static LoopbackBackends backends = new LoopbackBackends();
    static int b1;
    static int b2;
    static int b3;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestHTTPResource("/healthz")
    URL healthz;
    @TestHTTPResource("/q/health/ready")
    URL ready;
    /** The management interface's root path (quarkus.management.root-path, {@code /q}) comes first. */
    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;
    @TestHTTPResource("/q/metrics")
    URL metricsOnMain;

    @BeforeAll
    static void setUp() throws Exception {
        publisher = new EventPublisher(SharedKafka.bootstrapServers(), "/netplane/test", Clock.systemUTC());
        b1 = backends.start("b1");
        b2 = backends.start("b2");
        b3 = backends.start("b3");
    }

    @AfterAll
    static void tearDown() {
        publisher.close();
        backends.close();
    }

    static void publish(ServiceBuilder svc, SliceBuilder... slices) throws Exception {
        publisher.publish(Topics.SERVICES, svc.build()).get();
        for (SliceBuilder s : slices) {
            publisher.publish(Topics.ENDPOINT_SLICES, s.build()).get();
        }
    }

    /** Backends share 127.0.0.1 and differ by port, so each gets a slice of its own. */
    static SliceBuilder at(String ns, String svc, String name, int port, String node) {
        return slice(ns, name, svc).port("p", "TCP", port).ready("127.0.0.1", node);
    }

    static SliceBuilder atUdp(String ns, String svc, String name, int port) {
        return slice(ns, name, svc).port("p", "UDP", port).ready("127.0.0.1", "userspace-node");
    }

    static List<String> calls(String from, String ip, int port, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(LoopbackBackends.tcp(from, ip, port));
        }
        return out;
    }

    @Test
    void roundRobinOverTcpBackends() throws Exception {
        publish(service("u1", "rr", "127.0.77.1").port("p", "TCP", 8081, 0),
                at("u1", "rr", "rr-1", b1, "n"), at("u1", "rr", "rr-2", b2, "n"), at("u1", "rr", "rr-3", b3, "n"));
        await().atMost(Duration.ofSeconds(20)).until(() -> new HashSet<>(calls("127.0.0.1", "127.0.77.1", 8081, 3))
                .equals(Set.of("b1", "b2", "b3")));
    }

    @Test
    void clientIpAffinityPerSourceAddress() throws Exception {
        publish(service("u2", "sticky", "127.0.77.2").port("p", "TCP", 8082, 0).clientIpAffinity(60),
                at("u2", "sticky", "s-1", b1, "n"), at("u2", "sticky", "s-2", b2, "n"), at("u2", "sticky", "s-3", b3, "n"));
        await().atMost(Duration.ofSeconds(20)).until(() -> LoopbackBackends.tcp("127.0.0.2", "127.0.77.2", 8082)
                .startsWith("b"));
        assertThat(new HashSet<>(calls("127.0.0.2", "127.0.77.2", 8082, 10))).hasSize(1);
        assertThat(new HashSet<>(calls("127.0.0.3", "127.0.77.2", 8082, 10))).hasSize(1);
    }

    @Test
    void aBackendThatRefusesIsSkipped() throws Exception {
        int dead = LoopbackBackends.closedPort();
        publish(service("u3", "retry", "127.0.77.3").port("p", "TCP", 8083, 0),
                at("u3", "retry", "r-1", dead, "n"), at("u3", "retry", "r-2", b2, "n"));
        await().atMost(Duration.ofSeconds(20)).until(() -> calls("127.0.0.1", "127.0.77.3", 8083, 1).equals(List.of("b2")));
        assertThat(calls("127.0.0.1", "127.0.77.3", 8083, 6)).containsOnly("b2");
    }

    @Test
    void udpIsProxiedPerClient() throws Exception {
        publish(service("u4", "dns", "127.0.77.4").port("p", "UDP", 5353, 0), atUdp("u4", "dns", "d-1", b3));
        await().atMost(Duration.ofSeconds(20)).until(() -> LoopbackBackends.udp("127.0.77.4", 5353).equals("b3"));
    }

    @Test
    void endpointChangesTakeEffect() throws Exception {
        publish(service("u5", "mv", "127.0.77.5").port("p", "TCP", 8085, 0), at("u5", "mv", "m-1", b1, "n"));
        await().atMost(Duration.ofSeconds(20)).until(() -> calls("127.0.0.1", "127.0.77.5", 8085, 1).equals(List.of("b1")));
        publisher.publish(Topics.ENDPOINT_SLICES, at("u5", "mv", "m-1", b3, "n").build()).get();
        await().atMost(Duration.ofSeconds(20)).until(() -> calls("127.0.0.1", "127.0.77.5", 8085, 1).equals(List.of("b3")));
    }

    @Test
    void healthCheckNodePortReportsLocalEndpoints() throws Exception {
        int hc = LoopbackBackends.closedPort();
        int nodePort = LoopbackBackends.closedPort();
        publish(service("u6", "lb", "127.0.77.6").nodePort("p", "TCP", 8086, 0, nodePort).loadBalancer("192.0.2.60")
                .externalLocal(hc), at("u6", "lb", "l-1", b1, "userspace-node"));
        URI uri = URI.create("http://127.0.0.1:" + hc + "/");
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> get(uri).statusCode() == 200);
        assertThat(get(uri).body()).contains("\"localEndpoints\":1").contains("\"name\":\"lb\"");
        assertThat(get(uri).headers().firstValue("X-Load-Balancing-Endpoint-Weight")).hasValue("1");
        assertThat(calls("127.0.0.1", "127.0.0.1", nodePort, 2)).containsOnly("b1");
        publisher.publish(Topics.ENDPOINT_SLICES, at("u6", "lb", "l-1", b1, "elsewhere").build()).get();
        await().atMost(Duration.ofSeconds(20)).until(() -> get(uri).statusCode() == 503);
        assertThat(get(uri).body()).contains("\"localEndpoints\":0");
        assertThat(get(uri).headers().firstValue("X-Load-Balancing-Endpoint-Weight")).hasValue("0");
    }

    @Test
    void healthzReadinessAndMetrics() throws Exception {
        publish(service("u7", "m", "127.0.77.7").port("p", "TCP", 8087, 0), at("u7", "m", "x-1", b1, "n"));
        await().atMost(Duration.ofSeconds(20)).until(() -> get(healthz.toURI()).statusCode() == 200);
        assertThat(get(healthz.toURI()).body()).contains("\"lastUpdated\":\"20");
        assertThat(get(ready.toURI()).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> calls("127.0.0.1", "127.0.77.7", 8087, 1).equals(List.of("b1")));
        String m = get(metrics.toURI()).body();
        assertThat(m).contains("netplane_proxy_sync_duration_seconds_count{kind=\"full\"")
                .contains("netplane_proxy_network_programming_latency_seconds_count")
                .contains("netplane_proxy_rules");
        // application.properties' quarkus.management.host, kube-proxy's metrics address
        assertThat(metrics.getHost()).isEqualTo("127.0.0.1");
        assertThat(metrics.getPort()).isNotEqualTo(healthz.getPort());
        assertThat(get(metricsOnMain.toURI()).statusCode()).isEqualTo(404);
    }

    static HttpResponse<String> get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
