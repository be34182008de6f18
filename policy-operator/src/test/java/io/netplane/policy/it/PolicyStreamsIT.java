package io.netplane.policy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.netplane.api.events.IpSetView;
import io.netplane.api.events.IpSetView.MemberView;
import io.netplane.api.events.PolicyView;
import io.netplane.api.events.Topics;
import io.netplane.api.labels.LabelSelector;
import io.netplane.policy.compiler.SetNames;
import io.netplane.policy.model.AddressSelector;
import io.netplane.policy.reconciler.PolicyWatcher;
import io.netplane.testing.kafka.SharedKafka;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The operator end to end through the real Kafka broker, against the fabric8 mock API server in CRUD mode (which,
 * unlike a real API server, accepts invalid policies, so the Event path can be exercised): compiled policies and
 * sets appear on their topics, a Pod label change updates the set, deletions tombstone, stale keys left from
 * before the start are tombstoned, and an invalid policy gets a Warning Event while still isolating (told again
 * when it breaks again after a fix).
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(value = KafkaWithStaleKeys.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PolicyStreamsIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PODS_B = SetNames.of(AddressSelector.inNamespace("web", LabelSelector.of(Map.of("app", "b"))));
    private static final String PODS_A = SetNames.of(AddressSelector.inNamespace("web", LabelSelector.of(Map.of("app", "a"))));
    private static TopicRecorder recorder;

    @Inject
    KubernetesClient client;
    @Inject
    PolicyWatcher watcher;

    @BeforeAll
    static void record() {
        recorder = new TopicRecorder(SharedKafka.bootstrapServers(), List.of(Topics.POLICIES, Topics.IP_SETS));
    }

    @AfterAll
    static void stop() {
        if (recorder != null) {
            recorder.close();
        }
    }

    @Test
    @Order(1)
    void readyAndStaleKeysTombstoned() {
        await().atMost(WAIT).until(watcher::isReady);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(recorder.get(Topics.POLICIES, KafkaWithStaleKeys.STALE_POLICY)).isNull();
            assertThat(recorder.get(Topics.IP_SETS, KafkaWithStaleKeys.STALE_SET)).isNull();
            assertThat(recorder.arrivedAt(Topics.POLICIES, KafkaWithStaleKeys.STALE_POLICY)).isNotNull();
        });
    }

    @Test
    @Order(2)
    void policyAndSetsArePublishedAndFollowLabelChanges() {
        client.resource(new NamespaceBuilder().withNewMetadata().withName("web").endMetadata().build()).create();
        client.resource(pod("web", "a", "a", "10.1.0.1")).create();
        client.resource(pod("web", "b", "b", "10.1.0.2")).create();
        client.resource(pod("web", "c", "c", "10.1.0.3")).create();
        client.resource(policy("""
                metadata: {name: allow-b, namespace: web}
                spec:
                  podSelector: {matchLabels: {app: a}}
                  ingress: [{from: [{podSelector: {matchLabels: {app: b}}}], ports: [{port: http}]}]
                """)).create();

        await().atMost(WAIT).untilAsserted(() -> {
            PolicyView p = recorder.get(Topics.POLICIES, "web/allow-b");
            assertThat(p).isNotNull();
            assertThat(p.podSelectorSet()).isEqualTo(PODS_A);
            assertThat(p.policyTypes()).containsExactly("Ingress");
            assertThat(p.ingress().get(0).peers().get(0).ipSet()).isEqualTo(PODS_B);
            assertThat(p.ingress().get(0).ports().get(0).portName()).isEqualTo("http");
            assertThat(members(PODS_B)).containsExactly("web/b");
            IpSetView a = recorder.get(Topics.IP_SETS, PODS_A);
            assertThat(a.members()).singleElement().satisfies(m -> {
                assertThat(m.ips()).containsExactly("10.1.0.1");
                assertThat(m.namedPorts()).extracting(c -> c.name() + ":" + c.containerPort()).containsExactly("http:8080");
            });
        });

        client.pods().inNamespace("web").withName("c").edit(p -> {
            p.getMetadata().getLabels().put("app", "b");
            return p;
        });
        await().atMost(WAIT).untilAsserted(() -> assertThat(members(PODS_B)).containsExactly("web/b", "web/c"));

        client.pods().inNamespace("web").withName("b").delete();
        await().atMost(WAIT).untilAsserted(() -> assertThat(members(PODS_B)).containsExactly("web/c"));
    }

    @Test
    @Order(3)
    void deletingThePolicyTombstonesItAndItsSets() {
        client.network().v1().networkPolicies().inNamespace("web").withName("allow-b").delete();
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(recorder.get(Topics.POLICIES, "web/allow-b")).isNull();
            assertThat(recorder.get(Topics.IP_SETS, PODS_A)).isNull();
            assertThat(recorder.get(Topics.IP_SETS, PODS_B)).isNull();
        });
    }

    @Test
    @Order(4)
    void invalidPolicyGetsAnEventAndStillIsolates() {
        client.resource(policy("""
                metadata: {name: bad-cidr, namespace: web}
                spec:
                  podSelector: {matchLabels: {app: a}}
                  ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8, except: [192.168.0.0/16]}}]}]
                """)).create();
        await().atMost(WAIT).untilAsserted(() -> {
            List<Event> events = client.v1().events().inNamespace("web").list().getItems().stream()
                    .filter(e -> "bad-cidr".equals(e.getInvolvedObject().getName())).toList();
            assertThat(events).singleElement().satisfies(e -> {
                assertThat(e.getType()).isEqualTo("Warning");
                assertThat(e.getReason()).isEqualTo("InvalidNetworkPolicy");
                assertThat(e.getInvolvedObject().getKind()).isEqualTo("NetworkPolicy");
                assertThat(e.getMessage()).contains("spec.ingress[0].from[0].ipBlock.except[0]", "must be a strict subset of `cidr`");
            });
            PolicyView p = recorder.get(Topics.POLICIES, "web/bad-cidr");
            assertThat(p).isNotNull();
            assertThat(p.policyTypes()).containsExactly("Ingress");
            assertThat(p.ingress()).as("the invalid rule is dropped, the Pods stay isolated").isEmpty();
            assertThat(members(p.podSelectorSet())).containsExactly("web/a");
        });
    }

    @Test
    @Order(5)
    void aPolicyThatWasFixedIsToldAgainWhenItBreaksAgain() {
        setExcept("bad-cidr", "10.1.0.0/16");
        await().atMost(WAIT).untilAsserted(() -> assertThat(recorder.get(Topics.POLICIES, "web/bad-cidr").ingress())
                .as("valid again: the rule is enforced").hasSize(1));
        setExcept("bad-cidr", "192.168.0.0/16");
        await().atMost(WAIT).untilAsserted(() -> assertThat(client.v1().events().inNamespace("web").list().getItems()
                .stream().filter(e -> "bad-cidr".equals(e.getInvolvedObject().getName())))
                .as("the same error, told again after the policy was valid in between").hasSize(2)
                .allSatisfy(e -> assertThat(e.getMessage()).contains("must be a strict subset of `cidr`")));
    }

    private void setExcept(String policy, String except) {
        client.network().v1().networkPolicies().inNamespace("web").withName(policy).edit(np -> {
            np.getSpec().getIngress().get(0).getFrom().get(0).getIpBlock().setExcept(List.of(except));
            return np;
        });
    }

    private static List<String> members(String set) {
        IpSetView s = recorder.get(Topics.IP_SETS, set);
        return s == null ? List.of() : s.members().stream().map(MemberView::pod).toList();
    }

    private static Pod pod(String ns, String name, String app, String ip) {
        return new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).addToLabels("app", app).endMetadata()
                .withNewSpec().withNodeName("node-1").addNewContainer().withName("c").withImage("img")
                .addNewPort().withName("http").withContainerPort(8080).withProtocol("TCP").endPort().endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP(ip).addNewPodIP().withIp(ip).endPodIP().endStatus()
                .build();
    }

    private static NetworkPolicy policy(String yaml) {
        return Serialization.unmarshal(yaml, NetworkPolicy.class);
    }
}
