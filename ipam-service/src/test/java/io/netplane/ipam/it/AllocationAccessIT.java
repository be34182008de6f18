package io.netplane.ipam.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.netplane.ipam.access.AccessDecider;
import io.netplane.ipam.access.AccessDecision;
import io.netplane.ipam.access.Identity;
import io.netplane.ipam.access.Permission;
import io.netplane.ipam.access.ReviewUnavailable;
import io.netplane.ipam.access.TokenStatus;
import io.netplane.ipam.crd.Allocation;
import io.netplane.ipam.crd.AllocationSpec;
import io.netplane.ipam.kube.KubernetesReviews;
import io.netplane.testing.kube.KubeApiServerTestResource;
import io.netplane.testing.kube.SourceTree;
import io.netplane.testing.process.FreePorts;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Writes through the REST API against the real kube-apiserver's authentication and RBAC: no token is 401, a
 * ServiceAccount token without a grant is 403 and allocates nothing, a ClusterRole + ClusterRoleBinding on
 * {@code allocations/external} makes it 201, delete needs its own verb; the grant and the Allocation records are
 * apart; ipam-service's own ClusterRole as shipped covers the reviews; an unreachable API server is a prompt 503.
 */
@QuarkusTest
@TestProfile(KubernetesProfile.class)
@QuarkusTestResource(value = KubeApiServerTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = WebhookTls.class, restrictToAnnotatedClass = true)
class AllocationAccessIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String NS = "allocation-access-it";
    static final String IP = "10.96.201.1";
    static final String RECORD = "ip-10-96-201-1";

    @Inject
    KubernetesClient admin;

    @TestHTTPResource("/")
    URI base;

    @AfterEach
    void clean() {
        ApiClients.revoke(admin, NS, "firewall");
        ApiClients.revoke(admin, NS, "records-admin");
        admin.rbac().clusterRoleBindings().withName("allocation-access-it-records").delete();
        admin.rbac().clusterRoles().withName("allocation-access-it-records").delete();
        admin.resources(Allocation.class).withLabel("netplane.io/allocation-kind", "External").delete();
    }

    URI api(String path) {
        return base.resolve("/api/v1/" + path);
    }

    Http.Reply allocate(String key, String pool, String value, String token) {
        return Http.post(api("allocations"), AllocationApiIT.body(key, pool, value), token);
    }

    @Test
    void writesNeedATokenAndAGrantAndARefusalChangesNothing() throws Exception {
        Http.Reply none = allocate("access-1", "service-IPv4", IP, null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"netplane-ipam\"");
        JsonNode error = JSON.readTree(none.body());
        assertThat(error.get("status").asInt()).isEqualTo(401);
        assertThat(error.get("field").asText()).isEqualTo("Authorization");
        assertThat(error.get("message").asText()).contains("Authorization: Bearer <token>");
        assertThat(Http.delete(api("allocations/access-1"), null).status()).isEqualTo(401);

        Http.Reply madeUp = allocate("access-1", "service-IPv4", IP, "not-a-kubernetes-token");
        assertThat(madeUp.status()).isEqualTo(401);
        assertThat(madeUp.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
        assertThat(madeUp.body()).contains("did not authenticate the bearer token").doesNotContain("not-a-kubernetes");

        String token = ApiClients.token(admin, NS, "firewall");
        String user = ApiClients.user(NS, "firewall");
        Http.Reply forbidden = allocate("access-1", "service-IPv4", IP, token);
        assertThat(forbidden.status()).as(forbidden.body()).isEqualTo(403);
        assertThat(JSON.readTree(forbidden.body()).get("message").asText()).isEqualTo("User \"" + user
                + "\" cannot create resource \"allocations/external\" in API group \"netplane.io\" (pool "
                + "\"service-IPv4\") at the cluster scope");
        assertThat(admin.resources(Allocation.class).withName(RECORD).get()).as("nothing allocated").isNull();
        assertThat(Http.get(api("holders?value=" + IP)).status()).isEqualTo(404);

        // create in one pool; the refusal above is remembered for the cache TTL (2 s here), so wait it out
        ApiClients.grant(admin, NS, "firewall", List.of("create"), List.of("service-IPv4"));
        Http.Reply created = awaitNot403(() -> allocate("access-1", "service-IPv4", IP, token));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        Allocation record = admin.resources(Allocation.class).withName(RECORD).get();
        assertThat(record).isNotNull();
        assertThat(record.getSpec().owner.name).isEqualTo("access-1");

        Http.Reply otherPool = allocate("access-2", "node-ports", null, token);
        assertThat(otherPool.status()).as("resourceNames name the pools").isEqualTo(403);
        assertThat(otherPool.body()).contains("(pool \\\"node-ports\\\")");
        assertThat(admin.resources(Allocation.class).withLabel("netplane.io/owner-name", "access-2").list()
                .getItems()).isEmpty();

        Http.Reply noDelete = Http.delete(api("allocations/access-1"), token);
        assertThat(noDelete.status()).isEqualTo(403);
        assertThat(noDelete.body()).contains("cannot delete resource \\\"allocations/external\\\"");
        assertThat(admin.resources(Allocation.class).withName(RECORD).get()).as("still held").isNotNull();
        assertThat(Http.get(api("holders?value=" + IP)).status()).isEqualTo(200);

        ApiClients.grant(admin, NS, "firewall", List.of("create", "delete"), List.of());
        Http.Reply deleted = awaitNot403(() -> Http.delete(api("allocations/access-1"), token));
        assertThat(deleted.status()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> admin.resources(Allocation.class).withName(RECORD).get() == null);
        assertThat(Http.get(api("holders?value=" + IP)).status()).isEqualTo(404);
    }

    /**
     * RBAC on the records ({@code allocations}) is not RBAC on the API ({@code allocations/external}), either way: a
     * client of the API cannot forge or drop records in the API server, and a records admin is no API client.
     */
    @Test
    void aGrantOnTheApiIsNoGrantOnTheRecordsAndViceVersa() {
        String recordsAdmin = ApiClients.token(admin, NS, "records-admin");
        admin.resource(new ClusterRoleBuilder().withNewMetadata().withName("allocation-access-it-records")
                .endMetadata().addNewRule().withApiGroups("netplane.io").withResources("allocations")
                .withVerbs("create", "delete").endRule().build()).forceConflicts().serverSideApply();
        admin.resource(new ClusterRoleBindingBuilder().withNewMetadata().withName("allocation-access-it-records")
                .endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole")
                .withName("allocation-access-it-records").endRoleRef().addNewSubject().withKind("ServiceAccount")
                .withNamespace(NS).withName("records-admin").endSubject().build()).forceConflicts().serverSideApply();
        Http.Reply refused = allocate("access-3", "service-IPv4", null, recordsAdmin);
        assertThat(refused.status()).as(refused.body()).isEqualTo(403);

        String apiClient = ApiClients.token(admin, NS, "firewall");
        ApiClients.grant(admin, NS, "firewall", List.of("create", "delete"), List.of());
        try (KubernetesClient asClient = clientWithToken(apiClient)) {
            Allocation forged = new Allocation();
            forged.getMetadata().setName("ip-10-96-201-2");
            forged.setSpec(new AllocationSpec());
            assertThatThrownBy(() -> asClient.resource(forged).create())
                    .isInstanceOfSatisfying(KubernetesClientException.class,
                            e -> assertThat(e.getCode()).isEqualTo(403));
        }
    }

    /** k8s/ipam-service/rbac.yaml as shipped lets ipam-service's ServiceAccount ask both reviews; without it, 503. */
    @Test
    void ipamServicesOwnClusterRoleCoversTheReviews() throws Exception {
        Path rbac = SourceTree.root().orElseThrow().resolve("k8s/ipam-service/rbac.yaml");
        List<HasMetadata> objects;
        try (InputStream in = Files.newInputStream(rbac)) {
            objects = admin.load(in).items();
        }
        if (admin.namespaces().withName("netplane-system").get() == null) {
            admin.resource(new NamespaceBuilder().withNewMetadata().withName("netplane-system").endMetadata()
                    .build()).create();
        }
        String caller = ApiClients.token(admin, NS, "firewall");
        String withoutRole = ApiClients.token(admin, "netplane-system", "ipam-service-without-role");
        try (KubernetesClient bare = clientWithToken(withoutRole)) {
            assertThatThrownBy(() -> new KubernetesReviews(bare, Duration.ofSeconds(5)).authenticate(caller, List.of()))
                    .isInstanceOf(ReviewUnavailable.class)
                    .hasMessageContaining("HTTP 403")
                    .hasMessageContaining("create on tokenreviews.authentication.k8s.io")
                    .hasMessageNotContaining(caller);
        }
        try {
            admin.resourceList(objects).forceConflicts().serverSideApply();
            String ipamToken = ApiClients.token(admin, "netplane-system", "ipam-service");
            try (KubernetesClient asIpam = clientWithToken(ipamToken)) {
                KubernetesReviews reviews = new KubernetesReviews(asIpam, Duration.ofSeconds(5));
                AtomicReference<TokenStatus> who = new AtomicReference<>();
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                        .until(() -> who.compareAndSet(null, reviews.authenticate(caller, List.of())));
                assertThat(who.get().authenticated()).isTrue();
                Identity user = who.get().user();
                assertThat(user.username()).isEqualTo(ApiClients.user(NS, "firewall"));
                assertThat(user.groups()).contains("system:serviceaccounts:" + NS);
                assertThat(user.uid()).isNotEmpty();
                assertThat(reviews.authorize(user, Permission.create("service-IPv4")).allowed()).isFalse();
            }
        } finally {
            admin.resourceList(objects).delete();
        }
    }

    @Test
    void anUnreachableApiServerIsAPrompt503() {
        int closed = FreePorts.next();
        try (KubernetesClient dead = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
                .withMasterUrl("https://127.0.0.1:" + closed).withOauthToken("ipam").withTrustCerts(true).build())
                .build()) {
            AccessDecider access = AccessDecider.reviewedBy(new KubernetesReviews(dead, Duration.ofSeconds(2)),
                    List.of());
            long t0 = System.nanoTime();
            AccessDecision d = access.decide("Bearer some-token", Permission.create("service-IPv4"));
            assertThat(d.status()).isEqualTo(503);
            assertThat(d.message()).contains("unreachable for the TokenReview").contains("nothing was changed")
                    .doesNotContain("some-token");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        }
    }

    static Http.Reply awaitNot403(java.util.concurrent.Callable<Http.Reply> request) {
        AtomicReference<Http.Reply> last = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
            last.set(request.call());
            return last.get().status() != 403;
        });
        return last.get();
    }

    /**
     * A client of the application's API server (not {@code SharedKubeApiServer.server()}: that is one per class
     * loader, and this class may run in a later one than the application it shares) with another identity.
     */
    KubernetesClient clientWithToken(String token) {
        Config app = admin.getConfiguration();
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
                .withMasterUrl(app.getMasterUrl()).withCaCertFile(app.getCaCertFile())
                .withCaCertData(app.getCaCertData()).withOauthToken(token).build()).build();
    }
}
