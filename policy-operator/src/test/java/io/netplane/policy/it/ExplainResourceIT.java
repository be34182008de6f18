package io.netplane.policy.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netplane.policy.model.NetpolModel;
import io.netplane.policy.reconciler.PolicyState;
import io.netplane.testing.kafka.KafkaTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The explain API over HTTP, on the x/y/z × a/b/c model with two policies: x/a admits only y/* on TCP 80
 * (ingress) and y/b may only talk to namespace x (egress).
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
@TestProfile(ExplainResourceIT.NoWatch.class)
class ExplainResourceIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Serves a fixed state: the watcher is off. */
    public static class NoWatch implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("netplane.policy.watch", "false");
        }
    }

    @Inject
    PolicyState state;
    @TestHTTPResource("/")
    URI base;

    @BeforeEach
    void seed() {
        state.update(c -> {
            NetpolModel.namespaces().forEach(ns -> c.upsertNamespace(ns, "1"));
            NetpolModel.pods().forEach(p -> c.upsertPod(p, "1"));
            NetpolModel.policies("""
                    metadata: {name: x-a-from-y}
                    spec:
                      podSelector: {matchLabels: {pod: a}}
                      ingress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}}], ports: [{port: 80}]}]
                    """, """
                    metadata: {name: y-b-to-x, namespace: y}
                    spec:
                      podSelector: {matchLabels: {pod: b}}
                      policyTypes: [Egress]
                      egress: [{to: [{namespaceSelector: {matchLabels: {ns: x}}}]}]
                    """).forEach(c::upsertPolicy);
            c.flush(java.time.Instant.EPOCH);
        });
    }

    @Test
    void allowedWithTheDecidingRules() throws Exception {
        JsonNode r = get("explain?from=y/b&to=x/a&port=80&protocol=TCP", 200);
        assertThat(r.get("allowed").asBoolean()).isTrue();
        assertThat(r.at("/egress/isolated").asBoolean()).isTrue();
        assertThat(r.at("/egress/allowedBy/0").asText()).isEqualTo("y/y-b-to-x egress[0]");
        assertThat(r.at("/ingress/isolatingPolicies/0").asText()).isEqualTo("x/x-a-from-y");
        assertThat(r.at("/ingress/allowedBy/0").asText()).isEqualTo("x/x-a-from-y ingress[0]");
    }

    @Test
    void deniedWithTheReasonPerDirection() throws Exception {
        JsonNode r = get("explain?from=z/a&to=x/a&port=80", 200);
        assertThat(r.get("allowed").asBoolean()).isFalse();
        assertThat(r.at("/egress/allowed").asBoolean()).isTrue();
        assertThat(r.at("/egress/isolated").asBoolean()).isFalse();
        assertThat(r.at("/ingress/allowed").asBoolean()).isFalse();
        assertThat(r.at("/ingress/reason").asText()).contains("x/a is isolated for Ingress by [x/x-a-from-y]");

        JsonNode egressDenied = get("explain?from=y/b&to=z/c&port=81&protocol=UDP", 200);
        assertThat(egressDenied.get("allowed").asBoolean()).isFalse();
        assertThat(egressDenied.at("/egress/allowed").asBoolean()).isFalse();
        assertThat(egressDenied.at("/ingress/allowed").asBoolean()).isTrue();
    }

    @Test
    void aNamedPortResolvesAgainstTheDestinationPodsContainerPorts() throws Exception {
        JsonNode r = get("explain?from=y/b&to=x/a&port=serve-80-tcp", 200);
        assertThat(r.get("port").asInt()).isEqualTo(80);
        assertThat(r.get("allowed").asBoolean()).isTrue();
        assertThat(r.at("/ingress/allowedBy/0").asText()).isEqualTo("x/x-a-from-y ingress[0]");
        assertThat(get("explain?from=y/b&to=x/a&port=serve-81-udp&protocol=UDP", 200).get("port").asInt()).isEqualTo(81);
    }

    @Test
    void anOutsideAddressIsMatchedOnlyByIpBlocks() throws Exception {
        JsonNode r = get("explain?from=192.0.2.1&to=x/a&port=80", 200);
        assertThat(r.get("allowed").asBoolean()).isFalse();
        assertThat(r.at("/egress/applicable").asBoolean()).isFalse();
    }

    @Test
    void aPodAddressIsExplainedAsThatPod() throws Exception {
        JsonNode r = get("explain?from=10.0.2.2&to=x/a&port=80", 200);
        assertThat(r.get("from").asText()).isEqualTo("y/b");
        assertThat(r.get("allowed").asBoolean()).isTrue();
        assertThat(r.at("/egress/allowedBy/0").asText()).isEqualTo("y/y-b-to-x egress[0]");
    }

    @Test
    void matrixLikeTheE2eSuite() throws Exception {
        JsonNode r = get("reachability?namespaces=x,y,z&ports=80,81&protocols=TCP", 200);
        assertThat(r.get("pods")).hasSize(9);
        JsonNode m80 = r.at("/matrices/0");
        assertThat(m80.get("port").asInt()).isEqualTo(80);
        assertThat(m80.get("text").asText()).isEqualTo("""
                TCP/80\tx/a\tx/b\tx/c\ty/a\ty/b\ty/c\tz/a\tz/b\tz/c
                x/a\t.\t.\t.\t.\t.\t.\t.\t.\t.
                x/b\tX\t.\t.\t.\t.\t.\t.\t.\t.
                x/c\tX\t.\t.\t.\t.\t.\t.\t.\t.
                y/a\t.\t.\t.\t.\t.\t.\t.\t.\t.
                y/b\t.\t.\t.\tX\t.\tX\tX\tX\tX
                y/c\t.\t.\t.\t.\t.\t.\t.\t.\t.
                z/a\tX\t.\t.\t.\t.\t.\t.\t.\t.
                z/b\tX\t.\t.\t.\t.\t.\t.\t.\t.
                z/c\tX\t.\t.\t.\t.\t.\t.\t.\t.
                """);
        assertThat(r.at("/matrices/1/port").asInt()).isEqualTo(81);
        assertThat(r.at("/matrices/1/allowed/4/0").asBoolean()).as("y/b -> x/a on 81: only port 80 admitted").isFalse();
    }

    @Test
    void badRequestsGetAReason() throws Exception {
        assertThat(get("explain?from=x/a&to=x/b&port=0", 400).get("reason").asText()).contains("between 1 and 65535");
        assertThat(get("explain?from=x/a&to=x/b&port=80&protocol=ICMP", 400).get("reason").asText()).contains("unsupported protocol");
        assertThat(get("explain?from=x/nope&to=x/b&port=80", 404).get("reason").asText()).contains("Pod \"x/nope\" not found");
        assertThat(get("explain?from=banana&to=x/b&port=80", 400).get("reason").asText()).contains("neither");
        assertThat(get("reachability?namespaces=q&ports=80", 404).get("reason").asText()).contains("namespace \"q\" not found");
        assertThat(get("explain?from=x/a&to=x/b&port=http", 400).get("reason").asText())
                .contains("x/b has no container port named \"http\" for TCP");
        assertThat(get("explain?from=x/a&to=x/b&port=99999999999", 400).get("reason").asText()).contains("between 1 and 65535");
        assertThat(get("explain?from=x/a&to=x/b&port=not_a_port!", 400).get("reason").asText()).contains("neither a number");
        assertThat(get("explain?from=x/a&to=192.0.2.9&port=serve-80-tcp", 400).get("reason").asText()).contains("outside address");
        assertThat(get("explain?from=x/a&to=x/b", 400).get("reason").asText()).contains("\"port\" is required");
        assertThat(get("explain?to=x/b&port=80", 400).get("reason").asText()).contains("\"from\" is required");
    }

    private JsonNode get(String path, int status) throws Exception {
        HttpResponse<String> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as(path + ": " + res.body()).isEqualTo(status);
        return JSON.readTree(res.body());
    }
}
