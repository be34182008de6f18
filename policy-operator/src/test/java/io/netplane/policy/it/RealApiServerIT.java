package io.netplane.policy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.netplane.api.events.IpSetView;
import io.netplane.api.events.IpSetView.MemberView;
import io.netplane.api.events.PolicyView;
import io.netplane.api.events.Topics;
import io.netplane.policy.model.PolicyChecker;
import io.netplane.policy.reconciler.PolicyInputs;
import io.netplane.policy.reconciler.PolicyWatcher;
import io.netplane.testing.kafka.KafkaTestResource;
import io.netplane.testing.kafka.SharedKafka;
import io.netplane.testing.kube.KubeApiServerTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Against a real kube-apiserver and etcd (and the real Kafka broker): a policy selecting a namespace by its
 * {@code kubernetes.io/metadata.name} label compiles into a set of that namespace's Pods, Pod IPs written to
 * status flow into the set, a set larger than one record is published as shards (a Pod deleted replaces one shard),
 * and the API server's own validation of invalid policies agrees with ours on the field.
 */
@QuarkusTest
@TestProfile(RealApiServerIT.RealApi.class)
@QuarkusTestResource(value = ForgetMockServer.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = KubeApiServerTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
class RealApiServerIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int CAP = 100;
    private static final int MANY = 600;

    /**
     * A profile of its own: quarkus-kubernetes-client settings are fixed at build time, so only a re-augmented
     * application picks up the real API server's address from the test resource.
     */
    public static class RealApi implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // a small record cap, so a few hundred Pods prove the sharding that 150,000 members need (ShardPlannerTest)
            return Map.of("netplane.policy.batch-delay", "PT0.01S", "netplane.policy.ipset-shard-members", String.valueOf(CAP));
        }
    }
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
    void namespaceByNameAndPodIpsFromStatus() {
        await().atMost(WAIT).until(watcher::isReady);
        for (String ns : List.of("real-db", "real-fe")) {
            client.resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        }
        pod("real-fe", "fe-1", "10.7.0.1");
        pod("real-fe", "fe-2", "10.7.0.2");
        client.resource(policy("""
                metadata: {name: from-fe, namespace: real-db}
                spec:
                  podSelector: {}
                  ingress:
                  - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: real-fe}}}]
                    ports: [{port: 5432}]
                """)).create();

        await().atMost(WAIT).untilAsserted(() -> {
            PolicyView p = recorder.get(Topics.POLICIES, "real-db/from-fe");
            assertThat(p).isNotNull();
            IpSetView peers = recorder.get(Topics.IP_SETS, p.ingress().get(0).peers().get(0).ipSet());
            assertThat(peers).isNotNull();
            assertThat(peers.members()).extracting(MemberView::pod).containsExactly("real-fe/fe-1", "real-fe/fe-2");
            assertThat(peers.members()).flatExtracting(MemberView::ips).containsExactly("10.7.0.1", "10.7.0.2");
        });
    }

    @Test
    void theApiServerRejectsWhatWeReportAsInvalid() {
        for (String[] c : new String[][] {
                {"bad-cidr", "{from: [{ipBlock: {cidr: 10.0.0.0/33}}]}", "spec.ingress[0].from[0].ipBlock.cidr"},
                {"bad-except", "{from: [{ipBlock: {cidr: 10.0.0.0/16, except: [10.1.0.0/24]}}]}", "spec.ingress[0].from[0].ipBlock.except[0]"},
                {"bad-endport", "{ports: [{port: 90, endPort: 80}]}", "spec.ingress[0].ports[0].endPort"},
                {"bad-protocol", "{ports: [{port: 90, protocol: ICMP}]}", "spec.ingress[0].ports[0].protocol"},
                {"two-peers", "{from: [{ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}}]}", "spec.ingress[0].from[0]"}}) {
            NetworkPolicy np = policy("""
                    metadata: {name: %s, namespace: default}
                    spec: {podSelector: {}, ingress: [%s]}
                    """.formatted(c[0], c[1]));
            assertThat(PolicyChecker.check(PolicyInputs.policy(np)).errors()).as(c[0])
                    .anySatisfy(e -> assertThat(e).startsWith(c[2]));
            assertThatThrownBy(() -> client.resource(np).create()).as(c[0])
                    .isInstanceOf(KubernetesClientException.class).hasMessageContaining(c[2]);
        }
    }

    @Test
    void aSetLargerThanARecordIsPublishedInShardsAndAPodChangeTouchesOneShard() throws Exception {
        await().atMost(WAIT).until(watcher::isReady);
        for (String ns : List.of("real-many", "real-guard")) {
            client.resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> created = IntStream.range(0, MANY).<Future<?>>mapToObj(i -> pool.submit(() ->
                    pod("real-many", "m-" + i, "10.8." + (i / 250) + "." + (i % 250 + 1), Map.of("app", "many")))).toList();
            for (Future<?> f : created) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        client.resource(policy("""
                metadata: {name: from-many, namespace: real-guard}
                spec:
                  podSelector: {}
                  ingress:
                  - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: real-many}}, podSelector: {matchLabels: {app: many}}}]
                """)).create();

        AtomicReference<IpSetView> header = new AtomicReference<>();
        await().atMost(WAIT).untilAsserted(() -> {
            PolicyView p = recorder.get(Topics.POLICIES, "real-guard/from-many");
            assertThat(p).isNotNull();
            IpSetView h = recorder.get(Topics.IP_SETS, p.ingress().get(0).peers().get(0).ipSet());
            assertThat(h).isNotNull();
            assertThat(h.shards()).as("600 members, at most 100 a record: 16 shards of about 50").hasSize(16);
            assertThat(union(h)).hasSize(MANY);
            header.set(h);
        });
        for (String key : header.get().shards()) {
            assertThat(recorder.get(Topics.IP_SETS, key).members()).hasSizeLessThanOrEqualTo(CAP);
        }

        // no kubelet confirms a graceful delete here: delete at once
        client.pods().inNamespace("real-many").withName("m-7").withGracePeriod(0).delete();
        await().atMost(WAIT).untilAsserted(() -> {
            IpSetView h = recorder.get(Topics.IP_SETS, header.get().name());
            assertThat(union(h)).hasSize(MANY - 1).noneMatch(m -> m.pod().equals("real-many/m-7"));
            List<String> replaced = header.get().shards().stream().filter(k -> !h.shards().contains(k)).toList();
            assertThat(replaced).as("one shard replaced").hasSize(1);
            assertThat(recorder.get(Topics.IP_SETS, replaced.get(0))).as("and tombstoned").isNull();
        });
    }

    /** The members of a set as a consumer assembles them from the topic (null while a shard is missing). */
    private static List<MemberView> union(IpSetView header) {
        List<MemberView> members = new ArrayList<>(header.members());
        for (String key : header.shards()) {
            IpSetView shard = recorder.get(Topics.IP_SETS, key);
            assertThat(shard).as("shard " + key).isNotNull();
            members.addAll(shard.members());
        }
        return members;
    }

    private void pod(String ns, String name, String ip) {
        pod(ns, name, ip, Map.of());
    }

    private void pod(String ns, String name, String ip, Map<String, String> labels) {
        Pod created = client.resource(new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).withLabels(labels).endMetadata()
                .withNewSpec().withNodeName("node-1").addNewContainer().withName("c").withImage("img").endContainer().endSpec()
                .build()).create();
        created.setStatus(new PodStatusBuilder().withPhase("Running").withPodIP(ip).addNewPodIP().withIp(ip).endPodIP().build());
        client.resource(created).updateStatus();
    }

    private static NetworkPolicy policy(String yaml) {
        return Serialization.unmarshal(yaml, NetworkPolicy.class);
    }
}
