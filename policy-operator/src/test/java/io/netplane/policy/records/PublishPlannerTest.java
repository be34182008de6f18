package io.netplane.policy.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.api.events.IpSetView;
import io.netplane.api.events.IpSetView.MemberView;
import io.netplane.api.events.PodView.ContainerPortView;
import io.netplane.api.events.Topics;
import io.netplane.api.labels.LabelSelector;
import io.netplane.policy.compiler.CompileDelta;
import io.netplane.policy.compiler.PolicyCompiler;
import io.netplane.policy.compiler.SetNames;
import io.netplane.policy.model.AddressSelector;
import io.netplane.policy.model.NamespaceInfo;
import io.netplane.policy.model.NetpolModel;
import io.netplane.policy.model.PodInfo;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The compiler's deltas through the planner onto a compacted topic: waves in the order that keeps consumers
 * consistent (checked after every wave), what a consumer rebuilds from the topic equals the compiler's sets, and no
 * shard is left behind.
 */
class PublishPlannerTest {
    private static final String FROM_WEB = """
            metadata: {name: from-web, namespace: db}
            spec:
              podSelector: {matchLabels: {app: db}}
              ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: big}}, podSelector: {matchLabels: {app: web}}}]}]
            """;
    private static final String WEB = SetNames.of(AddressSelector.acrossNamespaces(
            LabelSelector.of(Map.of(NamespaceInfo.NAME_LABEL, "big")), LabelSelector.of(Map.of("app", "web"))));
    private static final String DB = SetNames.of(AddressSelector.inNamespace("db", LabelSelector.of(Map.of("app", "db"))));

    private final PolicyCompiler compiler = new PolicyCompiler();
    private final PublishPlanner planner = new PublishPlanner(new ShardPlanner());
    private final CompactedTopic topic = new CompactedTopic();

    @BeforeEach
    void cluster() {
        compiler.upsertNamespace(new NamespaceInfo("big", Map.of(NamespaceInfo.NAME_LABEL, "big")), "1");
        compiler.upsertNamespace(new NamespaceInfo("db", Map.of(NamespaceInfo.NAME_LABEL, "db")), "1");
        compiler.upsertPod(pod("db", "db-0", "db", "10.0.0.1"), "1");
    }

    @Test
    void aSetOf150000PodsIsPublishedInShardsFollowsChangesAndIsRemovedLast() {
        addWebPods(0, 150_000);
        compiler.upsertPolicy(NetpolModel.policy(FROM_WEB));
        Publication first = publish();
        assertThat(first.waves()).extracting(w -> kinds(w))
                .containsExactly("shards", "sets", "policies");
        assertThat(first.waves().get(0)).hasSize(256);
        assertThat(topic.sets.get(WEB).shards()).hasSize(256);
        assertRebuilt();

        compiler.upsertPod(pod("big", "web-150000", "web", ip(150_000)), "2");
        Publication oneMore = publish();
        assertThat(oneMore.waves()).as("one shard, the header, the shard it replaced").extracting(w -> kinds(w))
                .containsExactly("shards", "sets", "shard tombstones");
        assertThat(oneMore.recordCount()).isEqualTo(3);
        assertRebuilt();

        for (int i = 30_000; i <= 150_000; i++) {
            compiler.deletePod("big", "web-" + i, "3");
        }
        publish();
        assertThat(topic.sets.get(WEB).shards()).as("shrunk to about 1,000 a shard").hasSize(32);
        assertRebuilt();

        compiler.deletePolicy("db", "from-web");
        Publication removal = publish();
        assertThat(removal.waves()).extracting(w -> kinds(w))
                .containsExactly("policy tombstones", "set tombstones", "shard tombstones");
        assertThat(removal.waves().get(2)).hasSize(32);
        assertThat(topic.sets).isEmpty();
        assertThat(topic.policies).isEmpty();
        assertThat(planner.liveShardKeys()).isEmpty();
    }

    @Test
    void aSetGrowingPastTheCapMovesFromInlineToShardsAndBack() {
        addWebPods(0, 1500);
        compiler.upsertPolicy(NetpolModel.policy(FROM_WEB));
        publish();
        assertThat(topic.sets.get(WEB).shards()).isEmpty();
        assertThat(topic.sets.get(WEB).members()).hasSize(1500);

        addWebPods(1500, 3000);
        Publication grown = publish();
        assertThat(grown.waves()).extracting(w -> kinds(w)).containsExactly("shards", "sets");
        assertThat(topic.sets.get(WEB).shards()).hasSize(4);
        assertRebuilt();

        for (int i = 0; i < 2900; i++) {
            compiler.deletePod("big", "web-" + i, "3");
        }
        Publication shrunk = publish();
        assertThat(shrunk.waves()).extracting(w -> kinds(w)).containsExactly("sets", "shard tombstones");
        assertThat(topic.sets.get(WEB).members()).hasSize(100);
        assertRebuilt();
    }

    @Test
    void aWholeStateRepublishResendsEveryShardAndLeavesTheTopicAsItWas() {
        addWebPods(0, 5000);
        compiler.upsertPolicy(NetpolModel.policy(FROM_WEB));
        publish();
        Map<String, IpSetView> before = Map.copyOf(topic.sets);

        Publication all = planner.plan(compiler.snapshot(Instant.EPOCH), true);
        topic.apply(all);
        assertThat(all.waves().get(0)).as("all 8 shards again").hasSize(8);
        assertThat(topic.sets.keySet()).isEqualTo(before.keySet());
        assertRebuilt();
    }

    @Test
    void staleKeysAreTombstonedPoliciesThenHeadersThenShards() {
        Publication p = planner.tombstones(List.of("gone/p"), List.of("np-0#0-2-aa", "np-0", "np-0#1-2-bb"));
        assertThat(p.waves()).extracting(w -> w.stream().map(Outgoing::key).toList())
                .containsExactly(List.of("gone/p"), List.of("np-0"), List.of("np-0#0-2-aa", "np-0#1-2-bb"));
        assertThat(p.waves()).flatExtracting(Function.identity()).allSatisfy(o -> assertThat(o.value()).isNull());
    }

    @Test
    void aSetThatCannotBeLaidOutIsReportedAndTheRestIsPublished() {
        PublishPlanner tiny = new PublishPlanner(new ShardPlanner(16, 16 * 1024));
        List<ContainerPortView> ports = IntStream.range(0, 400)
                .mapToObj(i -> new ContainerPortView("port-" + i, 8000 + i, "TCP")).toList();
        IpSetView huge = new IpSetView("np-huge", "1", Instant.EPOCH, "huge",
                List.of(new MemberView("x/huge", List.of("10.0.0.1"), "n", ports)));
        IpSetView fine = new IpSetView("np-fine", "1", Instant.EPOCH, "fine", List.of());
        Publication p = tiny.plan(new CompileDelta(List.of(huge, fine), List.of(), List.of(), List.of(), Map.of()), false);
        assertThat(p.problems()).singleElement().asString().startsWith("set np-huge: 1 members do not fit");
        assertThat(p.waves()).flatExtracting(Function.identity()).extracting(Outgoing::key).containsExactly("np-fine");
    }

    private Publication publish() {
        CompileDelta d = compiler.flush(Instant.EPOCH);
        Publication p = planner.plan(d, false);
        topic.apply(p);
        assertThat(topic.orphanShards()).as("shards no header lists").isEmpty();
        return p;
    }

    /** What a consumer rebuilds from the compacted topic is what the compiler holds. */
    private void assertRebuilt() {
        Map<String, List<MemberView>> rebuilt = topic.rebuilt();
        for (String id : List.of(WEB, DB)) {
            List<MemberView> expected = compiler.set(id, Instant.EPOCH).members();
            assertThat(rebuilt.get(id)).as(id).hasSize(expected.size());
            assertThat(new HashSet<>(rebuilt.get(id))).as(id).isEqualTo(new HashSet<>(expected));
        }
        assertThat(topic.sets.keySet().stream().filter(IpSetView::isShardKey).collect(Collectors.toSet()))
                .isEqualTo(planner.liveShardKeys());
    }

    private static String kinds(List<Outgoing> wave) {
        return wave.stream().map(o -> {
            boolean shard = IpSetView.isShardKey(o.key());
            if (o.topic().equals(Topics.POLICIES)) {
                return o.value() == null ? "policy tombstones" : "policies";
            }
            if (o.value() == null) {
                return shard ? "shard tombstones" : "set tombstones";
            }
            return shard ? "shards" : "sets";
        }).distinct().reduce((a, b) -> a + "+" + b).orElse("");
    }

    private void addWebPods(int from, int to) {
        for (int i = from; i < to; i++) {
            compiler.upsertPod(pod("big", "web-" + i, "web", ip(i)), "1");
        }
    }

    private static String ip(int i) {
        return "10." + (100 + i / 65536) + "." + (i / 256 % 256) + "." + (i % 256);
    }

    private static PodInfo pod(String ns, String name, String app, String ip) {
        return new PodInfo(ns, name, Map.of("app", app), List.of(ip), "node-" + (name.hashCode() & 63), List.of(), false);
    }
}
