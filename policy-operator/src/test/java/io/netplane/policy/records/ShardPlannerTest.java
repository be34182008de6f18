package io.netplane.policy.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netplane.api.events.EventJson;
import io.netplane.api.events.IpSetView;
import io.netplane.api.events.IpSetView.MemberView;
import io.netplane.api.events.PodView.ContainerPortView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Laying one set out as records: inline or sharded, stable shard counts, one shard per member change, limits. */
class ShardPlannerTest {
    private static final ShardPlanner PLANNER = new ShardPlanner();
    private static final List<MemberView> POOL = IntStream.range(0, 150_001).mapToObj(ShardPlannerTest::member).toList();

    @ParameterizedTest(name = "{0} members after {1}: {2} shards ({3})")
    @CsvSource(delimiter = '|', textBlock = """
            0      | 0      | 0   | an empty set is one inline record
            1      | 0      | 0   | a small set is one inline record, as before sharding
            2000   | 0      | 0   | at the cap: still inline
            2001   | 0      | 4   | over the cap: shards of about 1,000 (two would hold 1,000.5)
            150000 | 0      | 256 | the smallest power of two filling shards to about half the cap
            1500   | 2001   | 4   | kept while the set holds between count x cap / 8 and count x cap
            1000   | 2001   | 4   | kept at the lower bound: no flapping back to inline near the cap
            999    | 2001   | 0   | below the lower bound: back to one inline record
            7000   | 2001   | 4   | kept towards the upper bound
            9000   | 2001   | 16  | over count x cap: chosen afresh (about 560 each)
            64000  | 150000 | 256 | a shrinking set keeps its count down to count x cap / 8
            30000  | 150000 | 32  | below it: chosen afresh
            """)
    void theShardCountFollowsTheSizeWithRoomToGrowAndShrink(int size, int previousSize, int count, String why) {
        ShardLayout previous = previousSize == 0 ? ShardLayout.INLINE : PLANNER.plan(set(previousSize), ShardLayout.INLINE, false).layout();
        ShardPlan plan = PLANNER.plan(set(size), previous, false);

        assertThat(plan.layout().count()).as(why).isEqualTo(count);
        assertThat(plan.header().shards()).hasSize(count);
        assertThat(plan.header().members()).hasSize(count == 0 ? size : 0);
        assertThat(plan.newShards()).allSatisfy(s -> assertThat(s.members().size()).isLessThanOrEqualTo(2000));
        assertThat(plan.retiredShards()).as("all previous shards are retired when the count changes, else the changed ones")
                .hasSize(count == previous.count() ? plan.newShards().size() : previous.count());
    }

    @Test
    void aSetOf150000MembersIsShardedUnderTheLimitsAndReassembles() {
        IpSetView whole = set(150_000);
        ShardPlan plan = PLANNER.plan(whole, ShardLayout.INLINE, false);

        assertThat(plan.newShards()).hasSize(256);
        assertThat(plan.header().shards()).containsExactlyElementsOf(plan.newShards().stream().map(IpSetView::key).toList());
        int largest = 0;
        int largestBytes = 0;
        long bytes = 0;
        List<MemberView> joined = new ArrayList<>();
        for (int i = 0; i < plan.newShards().size(); i++) {
            IpSetView s = plan.newShards().get(i);
            assertThat(s.key()).matches("np-big#" + i + "-256-[0-9a-f]{12}");
            assertThat(s.shard().index()).isEqualTo(i);
            assertThat(s.name()).isEqualTo("np-big");
            int size = EventJson.write(s).length;
            largest = Math.max(largest, s.members().size());
            largestBytes = Math.max(largestBytes, size);
            bytes += size;
            joined.addAll(s.members());
        }
        assertThat(largest).isLessThanOrEqualTo(2000);
        assertThat(largestBytes).isLessThan(ShardPlanner.DEFAULT_MAX_BYTES);
        assertThat(joined).hasSize(150_000);
        assertThat(new HashSet<>(joined)).as("every member exactly once").isEqualTo(new HashSet<>(whole.members()));
        int headerBytes = EventJson.write(plan.header()).length;
        assertThat(headerBytes).isLessThan(16 * 1024);
        System.out.printf("150,000 members: 1 header (%,d bytes) + %d shards, %,d bytes in all, largest shard %,d members"
                + " / %,d bytes (whole set inline: %,d bytes)%n", headerBytes, plan.newShards().size(), bytes + headerBytes,
                largest, largestBytes, EventJson.write(whole).length);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a Pod joins            | JOIN
            a Pod leaves           | LEAVE
            a Pod's address changes | READDRESS
            """)
    void aOneMemberChangeSendsOneShard(String why, Change change) {
        IpSetView before = set(150_000);
        ShardLayout layout = PLANNER.plan(before, ShardLayout.INLINE, false).layout();
        ShardPlan plan = PLANNER.plan(change.apply(before), layout, false);

        assertThat(plan.newShards()).as(why).hasSize(1);
        assertThat(plan.retiredShards()).as(why).hasSize(1);
        Set<String> kept = new HashSet<>(plan.header().shards());
        kept.retainAll(layout.keys());
        assertThat(kept).as("every other shard keeps its key").hasSize(255);
        assertThat(plan.header().shards()).contains(plan.newShards().get(0).key()).doesNotContain(plan.retiredShards().get(0));
    }

    enum Change implements UnaryOperator<IpSetView> {
        JOIN {
            @Override
            public IpSetView apply(IpSetView s) {
                List<MemberView> m = new ArrayList<>(s.members());
                m.add(POOL.get(150_000));
                return with(s, m);
            }
        },
        LEAVE {
            @Override
            public IpSetView apply(IpSetView s) {
                return with(s, s.members().subList(1, s.members().size()));
            }
        },
        READDRESS {
            @Override
            public IpSetView apply(IpSetView s) {
                List<MemberView> m = new ArrayList<>(s.members());
                MemberView old = m.get(77);
                m.set(77, new MemberView(old.pod(), List.of("10.99.0.1"), old.nodeName(), old.namedPorts()));
                return with(s, m);
            }
        };

        private static IpSetView with(IpSetView s, List<MemberView> members) {
            return new IpSetView(s.name(), "2", s.observedAt(), s.selector(), members);
        }
    }

    @Test
    void anUnchangedSetSendsOnlyItsHeaderAndAResendSendsEveryShard() {
        ShardLayout layout = PLANNER.plan(set(5000), ShardLayout.INLINE, false).layout();
        ShardPlan same = PLANNER.plan(set(5000), layout, false);
        assertThat(same.newShards()).isEmpty();
        assertThat(same.retiredShards()).isEmpty();
        assertThat(same.header().shards()).isEqualTo(layout.keys());

        ShardPlan resent = PLANNER.plan(set(5000), layout, true);
        assertThat(resent.newShards()).extracting(IpSetView::key).isEqualTo(layout.keys());
        assertThat(resent.retiredShards()).isEmpty();
    }

    @Test
    void theLayoutIsTheSameAfterARestart() {
        assertThat(PLANNER.plan(set(150_000), ShardLayout.INLINE, false).header())
                .as("keys derive from the members, not from the process").isEqualTo(PLANNER.plan(set(150_000), ShardLayout.INLINE, false).header());
    }

    @Test
    void aShardingSetLeavingInlineAndComingBackRetiresItsShards() {
        ShardLayout sharded = PLANNER.plan(set(3000), ShardLayout.INLINE, false).layout();
        ShardPlan inline = PLANNER.plan(set(100), sharded, false);
        assertThat(inline.header().members()).hasSize(100);
        assertThat(inline.header().shards()).isEmpty();
        assertThat(inline.retiredShards()).containsExactlyElementsOf(sharded.keys());
        assertThat(inline.newShards()).isEmpty();
    }

    @Test
    void largeMembersAreShardedByBytesToo() {
        ShardPlanner small = new ShardPlanner(2000, 64 * 1024);
        List<ContainerPortView> ports = IntStream.range(0, 20).mapToObj(i -> new ContainerPortView("port-" + i, 8000 + i, "TCP")).toList();
        List<MemberView> fat = POOL.subList(0, 1500).stream()
                .map(m -> new MemberView(m.pod(), m.ips(), m.nodeName(), ports)).toList();
        ShardPlan plan = small.plan(new IpSetView("np-fat", "1", Instant.EPOCH, "fat", fat), ShardLayout.INLINE, false);

        assertThat(plan.layout().count()).as("1,500 members of ~1 kB: not inline, and more than 2 shards").isGreaterThan(2);
        assertThat(plan.newShards()).allSatisfy(s -> assertThat(EventJson.write(s).length).isLessThanOrEqualTo(64 * 1024));
    }

    @Test
    void aSetThatCannotFitAndBadLimitsAreClearErrors() {
        List<ContainerPortView> ports = IntStream.range(0, 400).mapToObj(i -> new ContainerPortView("port-" + i, 8000 + i, "TCP")).toList();
        MemberView huge = new MemberView("x/huge", List.of("10.0.0.1"), "n", ports);
        ShardPlanner small = new ShardPlanner(16, 16 * 1024);
        assertThatThrownBy(() -> small.plan(new IpSetView("np-huge", "1", Instant.EPOCH, "huge", List.of(huge, POOL.get(1))),
                ShardLayout.INLINE, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("set np-huge: 2 members do not fit in 4096 records of at most 16 members and 16384 bytes");
        assertThatThrownBy(() -> new ShardPlanner(8, 1 << 20)).hasMessage("the members per ipset record must be at least 16, not 8");
        assertThatThrownBy(() -> new ShardPlanner(2000, 1000)).hasMessage("the bytes per ipset record must be at least 16384, not 1000");
        IpSetView header = PLANNER.plan(set(3000), ShardLayout.INLINE, false).header();
        assertThatThrownBy(() -> PLANNER.plan(header, ShardLayout.INLINE, false))
                .hasMessage("set np-big: expected the whole set, got a header or a shard");
    }

    @Test
    void podsSpreadEvenlyOverTheShards() {
        int[] counts = new int[256];
        POOL.subList(0, 150_000).forEach(m -> counts[ShardPlanner.shardOf(m.pod(), 256)]++);
        assertThat(IntStream.of(counts).max().orElseThrow()).as("within 15%% of the mean of 586").isLessThan(675);
        assertThat(IntStream.of(counts).min().orElseThrow()).isGreaterThan(500);
    }

    static IpSetView set(int size) {
        return new IpSetView("np-big", "1", Instant.EPOCH, "big/app=web", POOL.subList(0, size));
    }

    static MemberView member(int i) {
        return new MemberView("ns-" + (i % 300) + "/web-" + i, List.of("10." + (100 + i / 65536) + "." + (i / 256 % 256) + "." + (i % 256)),
                "node-" + (i % 200), List.of(new ContainerPortView("http", 8080, "TCP")));
    }
}
