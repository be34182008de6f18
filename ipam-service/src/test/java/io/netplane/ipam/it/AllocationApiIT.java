package io.netplane.ipam.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netplane.api.events.AllocationView;
import io.netplane.api.events.Topics;
import io.netplane.runtime.kafka.EventHandler;
import io.netplane.runtime.kafka.SnapshotFollower;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netplane.testing.kafka.KafkaTestResource;
import io.netplane.testing.kube.KubeApiServerTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The REST API against a running ipam-service (memory store) with a real Kafka broker. Writes carry the token of a
 * ServiceAccount granted create and delete on allocations/external by RBAC in the real API server, which reviews it
 * (the records stay in memory: the API server only answers the TokenReview and SubjectAccessReview).
 */
@QuarkusTest
@TestProfile(MemoryStoreProfile.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(value = KubeApiServerTestResource.class, restrictToAnnotatedClass = true)
class AllocationApiIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, AllocationView> EVENTS = new ConcurrentHashMap<>();
    static final Set<String> TOMBSTONES = ConcurrentHashMap.newKeySet();
    static SnapshotFollower follower;
    static String token;

    @TestHTTPResource("/")
    URI base;

    /** The broker this application publishes to, whichever test resource started it. */
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    KubernetesClient admin;

    @BeforeEach
    void client() {
        if (token == null) {
            ApiClients.grant(admin, "allocation-api-it", "vm-agent", List.of("create", "delete"), List.of());
            token = ApiClients.token(admin, "allocation-api-it", "vm-agent");
        }
    }

    @BeforeEach
    void follow() {
        if (follower != null) {
            return;
        }
        follower = new SnapshotFollower(bootstrapServers, "ipam-api-it", List.of(Topics.ALLOCATIONS),
                new EventHandler() {
                    @Override
                    public void onEvent(io.netplane.api.events.Topic<?> topic, String key,
                            io.netplane.api.events.ContractEvent value) {
                        if (value == null) {
                            TOMBSTONES.add(key);
                            EVENTS.remove(key);
                        } else {
                            TOMBSTONES.remove(key);
                            EVENTS.put(key, (AllocationView) value);
                        }
                    }
                }).start();
    }

    @AfterAll
    static void stop() {
        if (follower != null) {
            follower.close();
            follower = null;
        }
    }

    URI api(String path) {
        return base.resolve("/api/v1/" + path);
    }

    static String body(String key, String pool, String value) {
        return "{\"requestKey\":\"" + key + "\",\"pool\":\"" + pool + "\""
                + (value == null ? "" : ",\"value\":\"" + value + "\"") + "}";
    }

    @Test
    void allocateIsIdempotentByRequestKeyAndPublished() throws Exception {
        Http.Reply first = Http.post(api("allocations"), body("vm-1", "service-IPv4", null), token);
        assertThat(first.status()).isEqualTo(201);
        JsonNode rec = JSON.readTree(first.body());
        String ip = rec.get("value").asText();
        assertThat(ip).startsWith("10.96.0.");
        assertThat(rec.get("owner").get("kind").asText()).isEqualTo("External");

        Http.Reply again = Http.post(api("allocations"), body("vm-1", "service-IPv4", null), token);
        assertThat(again.status()).isEqualTo(200);
        assertThat(JSON.readTree(again.body()).get("value").asText()).isEqualTo(ip);

        String name = rec.get("name").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> EVENTS.containsKey(name));
        AllocationView view = EVENTS.get(name);
        assertThat(view.value()).isEqualTo(ip);
        assertThat(view.kind()).isEqualTo("External");
        assertThat(view.owner().name()).isEqualTo("vm-1");

        Http.Reply holder = Http.get(api("holders?value=" + ip));
        assertThat(holder.status()).isEqualTo(200);
        assertThat(JSON.readTree(holder.body()).get("owner").get("name").asText()).isEqualTo("vm-1");

        assertThat(Http.delete(api("allocations/vm-1"), token).status()).isEqualTo(204);
        assertThat(Http.delete(api("allocations/vm-1"), token).status()).as("release twice").isEqualTo(204);
        assertThat(Http.get(api("holders?value=" + ip)).status()).isEqualTo(404);
        await().atMost(Duration.ofSeconds(20)).until(() -> TOMBSTONES.contains(name));
    }

    @Test
    void requestedValuesAreValidatedWithTheFieldPath() throws Exception {
        Http.Reply out = Http.post(api("allocations"), body("vm-2", "service-IPv4", "10.97.0.1"), token);
        assertThat(out.status()).isEqualTo(422);
        assertThat(JSON.readTree(out.body()).get("field").asText()).isEqualTo("value");
        assertThat(out.body()).contains("not in pool service-IPv4");

        assertThat(Http.post(api("allocations"), body("vm-3", "service-IPv6", "fd00:96::42"), token).status())
                .isEqualTo(201);
        Http.Reply taken = Http.post(api("allocations"), body("vm-4", "service-IPv6", "fd00:96::42"), token);
        assertThat(taken.status()).isEqualTo(422);
        assertThat(taken.body()).contains("already allocated");

        Http.Reply other = Http.post(api("allocations"), body("vm-3", "node-ports", null), token);
        assertThat(other.status()).as("key already holds another value").isEqualTo(409);

        Http.Reply pool = Http.post(api("allocations"), body("vm-5", "nope", null), token);
        assertThat(pool.status()).isEqualTo(422);
        assertThat(JSON.readTree(pool.body()).get("field").asText()).isEqualTo("pool");

        assertThat(Http.get(api("holders?value=not-an-ip")).status()).isEqualTo(400);
        Http.delete(api("allocations/vm-3"), token);
    }

    @Test
    void concurrentRequestsNeverShareAValue() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Http.Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                String key = "burst-" + i;
                replies.add(pool.submit(() -> Http.post(api("allocations"), body(key, "node-ports", null), token)));
            }
            Set<String> ports = new HashSet<>();
            for (Future<Http.Reply> f : replies) {
                Http.Reply r = f.get();
                assertThat(r.status()).isEqualTo(201);
                assertThat(ports.add(JSON.readTree(r.body()).get("value").asText())).as("duplicate port").isTrue();
            }
            assertThat(ports).hasSize(60);
            JsonNode pools = JSON.readTree(Http.get(api("pools")).body());
            JsonNode np = null;
            for (JsonNode p : pools) {
                if (p.get("name").asText().equals("node-ports")) {
                    np = p;
                }
            }
            assertThat(np).isNotNull();
            assertThat(np.get("size").asLong()).isEqualTo(100);
            assertThat(np.get("used").asLong()).isGreaterThanOrEqualTo(60);
        } finally {
            for (int i = 0; i < 60; i++) {
                Http.delete(api("allocations/" + URLEncoder.encode("burst-" + i, StandardCharsets.UTF_8)), token);
            }
            pool.shutdown();
        }
    }

    @Test
    void openApiDocumentDescribesTheApi() {
        Http.Reply doc = Http.get(base.resolve("/q/openapi"));
        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.body()).contains("/api/v1/allocations").contains("/api/v1/pools").contains("/api/v1/holders")
                .contains("kubernetes-bearer").contains("scheme: bearer");
    }
}
