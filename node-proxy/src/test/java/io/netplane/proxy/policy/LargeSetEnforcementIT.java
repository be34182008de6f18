package io.netplane.proxy.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netplane.api.events.ContractEvent;
import io.netplane.api.events.EventJson;
import io.netplane.api.events.IpSetView;
import io.netplane.api.events.IpSetView.MemberView;
import io.netplane.api.events.PolicyView;
import io.netplane.api.events.PolicyView.PeerView;
import io.netplane.api.events.PolicyView.PortView;
import io.netplane.api.events.PolicyView.RuleView;
import io.netplane.api.events.Topic;
import io.netplane.api.events.Topics;
import io.netplane.proxy.sync.NftApplier;
import io.netplane.proxy.sync.PolicyLoop;
import io.netplane.runtime.kafka.EventHandler;
import io.netplane.runtime.kafka.EventPublisher;
import io.netplane.runtime.kafka.SnapshotFollower;
import io.netplane.testing.kafka.SharedKafka;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A NetworkPolicy whose peer set has 150,000 members, enforced by node-proxy's {@link PolicyLoop} from a real Kafka
 * broker into real nftables in network namespaces: the set travels as 256 shard records and a header (the form
 * policy-operator publishes), the Pod "big/in" inside the set reaches the guarded Pod "big/db", "big/out" does not. A
 * new header whose shard has not arrived leaves the previous version enforced; one shard changing updates the rules;
 * the set grows to 512 shards; a consumer reading the topic from the beginning rebuilds the same set; removing the
 * policy and the set (in the producer's order) opens traffic again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LargeSetEnforcementIT {
    private static final int SIZE = 150_000;
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 6);
    private static final String BIG = "np-large-" + SUFFIX;
    private static final String GUARD = "np-guard-" + SUFFIX;
    private static final String POLICY_NS = "big-" + SUFFIX;

    private static PolicyLab lab;
    private static String db;
    private static String in;
    private static String out;
    private static EventPublisher publisher;
    private static SnapshotFollower follower;
    private static PolicyLoop loop;
    private static SimpleMeterRegistry registry;
    private static List<IpSetView> shards;
    private static List<MemberView> members;

    @BeforeAll
    static void start() throws IOException {
        String reason = PolicyLab.unavailableReason();
        Assumptions.assumeTrue(reason == null, "SKIPPED real-traffic test: " + reason);
        lab = new PolicyLab().start();
        db = lab.host("big/db", 1, true);
        in = lab.host("big/in", 2, false);
        out = lab.host("big/out", 3, false);
        publisher = new EventPublisher(SharedKafka.bootstrapServers(), "/netplane/policy-operator-it", Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        if (follower != null) {
            follower.close();
        }
        if (loop != null) {
            loop.close();
        }
        if (publisher != null) {
            publisher.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    @Order(1)
    void aPeerSetOf150000MembersIsEnforced() throws Exception {
        members = new ArrayList<>(ShardedRecords.members(POLICY_NS, 0, SIZE - 1));
        members.add(new MemberView(POLICY_NS + "/in", List.of(in), "elsewhere", List.of()));
        shards = ShardedRecords.shards(BIG, "1", members, 256);
        IpSetView header = ShardedRecords.header(BIG, "1", shards);
        IpSetView guard = new IpSetView(GUARD, "1", Instant.EPOCH, "guard",
                List.of(new MemberView(POLICY_NS + "/db", List.of(db), lab.node, List.of())));
        PolicyView policy = new PolicyView(POLICY_NS, "from-big", "1", Instant.EPOCH, GUARD, List.of("Ingress"),
                List.of(new RuleView(List.of(new PeerView(BIG, null, List.of())), List.of(new PortView("TCP", 80, null, null)), null)),
                List.of());

        Map<String, IpSetView> whole = Map.of(BIG, new IpSetView(BIG, "1", Instant.EPOCH, "big", members), GUARD, guard);
        long r0 = System.nanoTime();
        PolicyTable table = new PolicyTable(lab.node);
        String script = table.next(List.of(policy), whole);
        long rendered = System.nanoTime();
        System.out.printf("[large-set] full policy script for %,d members: rendered in %d ms, %,d bytes; nft -f: %s%n",
                SIZE, (rendered - r0) / 1_000_000, script.length(), lab.nftMeasured(script));
        lab.nft("delete table inet " + PolicyNames.TABLE + "\n");

        long t0 = System.nanoTime();
        join(shards.stream().map(s -> publisher.publish(Topics.IP_SETS, s)).toList());
        join(List.of(publisher.publish(Topics.IP_SETS, header), publisher.publish(Topics.IP_SETS, guard)));
        join(List.of(publisher.publish(Topics.POLICIES, policy)));
        System.out.printf("[large-set] published 256 shards + header in %d ms (largest record %,d bytes)%n",
                (System.nanoTime() - t0) / 1_000_000, shards.stream().mapToInt(s -> EventJson.write(s).length).max().orElseThrow());

        registry = new SimpleMeterRegistry();
        loop = new PolicyLoop(lab.node, new NftApplier("nft", Optional.of(lab.node)), Duration.ofMillis(50), Duration.ofSeconds(1),
                registry).start();
        follower = new SnapshotFollower(SharedKafka.bootstrapServers(), "large-set-it-" + SUFFIX, PolicyLoop.topics(),
                new EventHandler() {
                    @Override
                    public void onEvent(Topic<?> topic, String key, ContractEvent value) {
                        loop.onEvent(topic, key, value);
                    }

                    @Override
                    public void onCaughtUp() {
                        loop.onCaughtUp();
                    }
                }).start();
        await().atMost(WAIT).until(loop::synced);
        System.out.printf("[large-set] snapshot read and table applied %d ms after the publish; first sync %s%n",
                (System.nanoTime() - t0) / 1_000_000, syncs());

        assertThat(lab.connect("big/in", "tcp", db, 80)).as("inside the set").isEqualTo("big/db");
        assertThat(lab.connect("big/out", "tcp", db, 80)).as("outside the set").isEqualTo("TIMEOUT");
        assertThat(lab.connect("big/in", "tcp", db, 81)).as("another port").isEqualTo("TIMEOUT");
        assertThat(lab.setSize(PolicyNames.set(BIG, 4))).isEqualTo(SIZE);
    }

    @Test
    @Order(2)
    void aHeaderWhoseShardIsMissingLeavesThePreviousVersionEnforced() throws Exception {
        List<MemberView> without = members.stream().filter(m -> !m.ips().contains(in)).toList();
        List<IpSetView> next = ShardedRecords.shards(BIG, "2", without, 256);
        List<String> held = shards.stream().map(IpSetView::key).toList();
        List<IpSetView> changed = next.stream().filter(s -> !held.contains(s.key())).toList();
        assertThat(changed).as("one member left: one shard differs").hasSize(1);
        long count0 = timer().count();
        double total0 = timer().totalTime(TimeUnit.MILLISECONDS);

        join(List.of(publisher.publish(Topics.IP_SETS, ShardedRecords.header(BIG, "2", next))));
        await().atMost(WAIT).until(() -> loop.pendingSets().contains(BIG));
        assertThat(lab.connect("big/in", "tcp", db, 80)).as("the previous complete version stays").isEqualTo("big/db");

        join(List.of(publisher.publish(Topics.IP_SETS, changed.get(0))));
        await().atMost(WAIT).until(() -> lab.connect("big/in", "tcp", db, 80).equals("TIMEOUT"));
        assertThat(loop.pendingSets()).isEmpty();
        IpSetView old = shards.get(changed.get(0).shard().index());
        join(List.of(publisher.tombstone(Topics.IP_SETS, old.key())));
        System.out.printf("[large-set] one member leaves (a header first, then its shard): %s%n", since(count0, total0));
        assertThat(lab.connect("big/out", "tcp", db, 80)).isEqualTo("TIMEOUT");
        shards = next;
        members = without;
    }

    @Test
    @Order(3)
    void theSetGrowsTo512ShardsAndStaysEnforcedThroughTheChange() throws Exception {
        List<MemberView> grown = new ArrayList<>(members);
        grown.add(new MemberView(POLICY_NS + "/in", List.of(in), "elsewhere", List.of()));
        List<IpSetView> next = ShardedRecords.shards(BIG, "3", grown, 512);
        long count0 = timer().count();
        double total0 = timer().totalTime(TimeUnit.MILLISECONDS);
        join(next.stream().map(s -> publisher.publish(Topics.IP_SETS, s)).toList());
        assertThat(lab.connect("big/in", "tcp", db, 80)).as("new shards alone change nothing").isEqualTo("TIMEOUT");
        join(List.of(publisher.publish(Topics.IP_SETS, ShardedRecords.header(BIG, "3", next))));
        await().atMost(WAIT).until(() -> lab.connect("big/in", "tcp", db, 80).equals("big/db"));
        System.out.printf("[large-set] 512 shards replace 256 (one member back): %s%n", since(count0, total0));
        join(shards.stream().map(s -> publisher.tombstone(Topics.IP_SETS, s.key())).toList());
        shards = next;
        members = grown;
        assertThat(lab.connect("big/out", "tcp", db, 80)).isEqualTo("TIMEOUT");
        assertThat(lab.connect("big/in", "tcp", db, 80)).as("the old shards' tombstones change nothing").isEqualTo("big/db");
    }

    @Test
    @Order(4)
    void aConsumerReadingTheTopicFromTheBeginningRebuildsTheSameSet() throws Exception {
        IpSetAssembler fresh = new IpSetAssembler();
        AtomicLong problems = new AtomicLong();
        try (SnapshotFollower f = new SnapshotFollower(SharedKafka.bootstrapServers(), "large-set-replay-" + SUFFIX,
                List.of(Topics.IP_SETS), (topic, key, value) -> {
                    if (fresh.accept(key, (IpSetView) value).problem() != null) {
                        problems.incrementAndGet();
                    }
                }).start()) {
            assertThat(f.awaitCaughtUp(WAIT)).isTrue();
        }
        assertThat(problems).hasValue(0);
        assertThat(fresh.pending()).isEmpty();
        assertThat(fresh.complete().get(BIG).members()).hasSize(SIZE);
        assertThat(new HashSet<>(fresh.complete().get(BIG).members())).isEqualTo(new HashSet<>(members));
    }

    @Test
    @Order(5)
    void removingThePolicyAndThenTheSetOpensTrafficAgain() throws Exception {
        join(List.of(publisher.tombstone(Topics.POLICIES, POLICY_NS + "/from-big")));
        join(List.of(publisher.tombstone(Topics.IP_SETS, BIG), publisher.tombstone(Topics.IP_SETS, GUARD)));
        join(shards.stream().map(s -> publisher.tombstone(Topics.IP_SETS, s.key())).toList());
        await().atMost(WAIT).until(() -> lab.connect("big/out", "tcp", db, 80).equals("big/db"));
        await().atMost(WAIT).until(() -> !lab.listRuleset().contains(PolicyNames.set(BIG, 4)));
        System.out.printf("[large-set] all syncs: %s%n", syncs());
    }

    private static void join(List<? extends CompletableFuture<?>> sent) throws Exception {
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }

    /** The syncs (render + nft) since a count and total time were taken. */
    private static String since(long count0, double total0) {
        long n = timer().count() - count0;
        return String.format("%d sync(s), %.0f ms rendering and applying", n, timer().totalTime(TimeUnit.MILLISECONDS) - total0);
    }

    private static String syncs() {
        Timer t = timer();
        return String.format("%d applied, max %.0f ms, mean %.0f ms", t.count(), t.max(TimeUnit.MILLISECONDS), t.mean(TimeUnit.MILLISECONDS));
    }

    private static Timer timer() {
        return registry.find("netplane.proxy.policy.sync.duration").timer();
    }
}
