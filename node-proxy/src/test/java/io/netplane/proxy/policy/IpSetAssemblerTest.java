package io.netplane.proxy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.api.events.IpSetView;
import io.netplane.api.events.IpSetView.MemberView;
import io.netplane.api.events.PolicyView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Rebuilding sets from their records in any arrival order: a sharded set is exposed only whole, the previous complete
 * version stays until the next one is, shard counts grow and shrink, tombstones remove, and a consumer replaying the
 * compacted topic in any order ends with the same sets.
 */
class IpSetAssemblerTest {
    private static final String SET = "np-s";
    private static final List<MemberView> V1 = ShardedRecords.members("x", 0, 4000);
    private static final List<MemberView> V2 = V1.stream().filter(m -> !m.pod().equals("x/p-1")).toList();
    private static final List<MemberView> V4 = ShardedRecords.members("x", 0, 10);
    /**
     * Records by name: shards A1 B1 of v1, B2 of v2 (x/p-1 left shard B; A is the same in both), C3-F3 (v2 in four
     * shards), their headers H1 H2 H3, and I4, the set inline.
     */
    private static final Map<String, IpSetView> RECORDS = new LinkedHashMap<>();
    /** Versions as sets of members: a sharded set's members come in shard order. */
    private static final Map<String, Set<MemberView>> VERSIONS = Map.of("v1", Set.copyOf(V1), "v2", Set.copyOf(V2),
            "v3", Set.copyOf(V2), "v4", Set.copyOf(V4));

    static {
        List<IpSetView> v1 = ShardedRecords.shards(SET, "1", V1, 2);
        List<IpSetView> v2 = ShardedRecords.shards(SET, "2", V2, 2);
        List<IpSetView> v3 = ShardedRecords.shards(SET, "3", V2, 4);
        int b = Math.floorMod("x/p-1".hashCode(), 2);
        RECORDS.put("A1", v1.get(1 - b));
        RECORDS.put("B1", v1.get(b));
        RECORDS.put("H1", ShardedRecords.header(SET, "1", v1));
        RECORDS.put("B2", v2.get(b));
        RECORDS.put("H2", ShardedRecords.header(SET, "2", b == 1 ? List.of(v1.get(0), v2.get(1)) : List.of(v2.get(0), v1.get(1))));
        RECORDS.put("C3", v3.get(0));
        RECORDS.put("D3", v3.get(1));
        RECORDS.put("E3", v3.get(2));
        RECORDS.put("F3", v3.get(3));
        RECORDS.put("H3", ShardedRecords.header(SET, "3", v3));
        RECORDS.put("I4", new IpSetView(SET, "4", Instant.EPOCH, "x/app=p", V4));
        assertThat(v2.get(1 - b).members()).as("shard A is the same in v1 and v2").isEqualTo(v1.get(1 - b).members());
    }

    @ParameterizedTest(name = "{2}: {0}")
    @CsvSource(delimiter = '|', textBlock = """
            A1 B1 H1                     | - - v1                   | shards before their header: whole at the header
            H1 A1 B1                     | - - v1                   | header first: nothing until its last shard
            B1 H1 A1                     | - - v1                   | any order
            A1 B1 H1 B2 H2 -B1           | - - v1 v1 v2 v2          | a one-member change: one shard and the header
            A1 B1 H1 H2 -B1 B2           | - - v1 v1 v1 v2          | the new header and the old shard's tombstone first: v1 stays until B2
            A1 B1 H1 -B1 H2 B2           | - - v1 v1 v1 v2          | the replaced shard gone before the new header: v1 stays
            A1 B1 H1 C3 D3 H3 E3 F3 -A1 -B1 | - - v1 v1 v1 v1 v1 v3 v3 v3 | growth to four shards: v1 until all four are here
            A1 B1 H1 I4 -A1 -B1          | - - v1 v4 v4 v4          | shrink to one inline record
            I4 A1 H1 B1                  | v4 v4 v4 v1              | inline to sharded: the inline version until the shards are whole
            A1 B1 H1 -H -A1 -B1          | - - v1 - - -             | removal: the header's tombstone removes the set
            A1 B1 H1 -A1 -B1 -H          | - - v1 v1 v1 -           | shards tombstoned first: the set stays until its header goes
            A1 B1 H1 -H H1               | - - v1 - v1              | a header again over shards still held
            A1 B1 H1 H1 H1               | - - v1 v1 v1             | a repeated header changes nothing
            """)
    void aShardedSetIsExposedOnlyWhole(String arrivals, String expected, String why) {
        IpSetAssembler a = new IpSetAssembler();
        String[] steps = arrivals.trim().split("\\s+");
        String[] versions = expected.trim().split("\\s+");
        assertThat(steps).hasSameSizeAs(versions);
        String lastHeader = null;
        for (int i = 0; i < steps.length; i++) {
            String step = steps[i];
            Set<MemberView> before = exposed(a);
            IpSetAssembler.Outcome o = step.startsWith("-")
                    ? a.accept(step.equals("-H") ? SET : RECORDS.get(step.substring(1)).key(), null)
                    : a.accept(RECORDS.get(step).key(), RECORDS.get(step));
            lastHeader = step.equals("-H") ? null : step.startsWith("H") || step.startsWith("I") ? step : lastHeader;
            String at = why + ", after " + String.join(" ", List.of(steps).subList(0, i + 1));
            Set<MemberView> now = exposed(a);
            assertThat(now).as(at).isEqualTo(versions[i].equals("-") ? null : VERSIONS.get(versions[i]));
            assertThat(o.problem()).as(at).isNull();
            assertThat(o.changed()).as(at + ": changed").isEqualTo(!Objects.equals(before, now));
            boolean whole = lastHeader == null || lastHeader.startsWith("I") || now != null
                    && now.equals(VERSIONS.get("v" + lastHeader.substring(1)));
            assertThat(a.pending().contains(SET)).as(at + ": pending").isEqualTo(!whole);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a header naming another set       | HEADER_OTHER_NAME    | its value names set np-other
            a header listing another set's shard | HEADER_FOREIGN_SHARD | it lists np-other#0-2-aa, not a shard key of this set
            a header with shards and members  | HEADER_BOTH          | a header lists shards and holds members too
            a shard under a set's key         | SHARD_AS_HEADER      | a shard under a set's key
            a shard under another shard's key | SHARD_WRONG_KEY      | its value is not the shard its key names
            a header listing a shard out of place | SHARD_OUT_OF_PLACE | it lists
            """)
    void contradictoryRecordsAreRefusedAndChangeNothing(String why, Bad bad, String reason) {
        IpSetAssembler a = new IpSetAssembler();
        List.of("A1", "B1", "H1").forEach(k -> a.accept(RECORDS.get(k).key(), RECORDS.get(k)));
        IpSetAssembler.Outcome o = bad.feed(a);
        assertThat(o.problem()).as(why).startsWith("ipset record ").contains("refused: " + reason);
        assertThat(o.changed()).isFalse();
        assertThat(exposed(a)).as("v1 still enforced").isEqualTo(VERSIONS.get("v1"));
    }

    enum Bad {
        HEADER_OTHER_NAME {
            @Override
            IpSetAssembler.Outcome feed(IpSetAssembler a) {
                return a.accept(SET, new IpSetView("np-other", "9", Instant.EPOCH, "o", List.of()));
            }
        },
        HEADER_FOREIGN_SHARD {
            @Override
            IpSetAssembler.Outcome feed(IpSetAssembler a) {
                return a.accept(SET, new IpSetView(SET, "9", Instant.EPOCH, "o", List.of(), List.of("np-other#0-2-aa"), null));
            }
        },
        HEADER_BOTH {
            @Override
            IpSetAssembler.Outcome feed(IpSetAssembler a) {
                return a.accept(SET, new IpSetView(SET, "9", Instant.EPOCH, "o", V4, RECORDS.get("H1").shards(), null));
            }
        },
        SHARD_AS_HEADER {
            @Override
            IpSetAssembler.Outcome feed(IpSetAssembler a) {
                return a.accept(SET, RECORDS.get("A1"));
            }
        },
        SHARD_WRONG_KEY {
            @Override
            IpSetAssembler.Outcome feed(IpSetAssembler a) {
                return a.accept(RECORDS.get("B1").key(), RECORDS.get("B2"));
            }
        },
        SHARD_OUT_OF_PLACE {
            @Override
            IpSetAssembler.Outcome feed(IpSetAssembler a) {
                List<String> swapped = new ArrayList<>(RECORDS.get("H1").shards());
                Collections.reverse(swapped);
                return a.accept(SET, new IpSetView(SET, "9", Instant.EPOCH, "o", List.of(), swapped, null));
            }
        };

        abstract IpSetAssembler.Outcome feed(IpSetAssembler a);
    }

    @Test
    void aRemovedSetIsKeptWhileAPolicyHeldStillReferencesIt() {
        IpSetAssembler a = new IpSetAssembler();
        List.of("A1", "B1", "H1").forEach(k -> a.accept(RECORDS.get(k).key(), RECORDS.get(k)));
        PolicyView uses = new PolicyView("x", "p", "1", Instant.EPOCH, "np-sel", List.of("Ingress"),
                List.of(new PolicyView.RuleView(List.of(new PolicyView.PeerView(SET, null, List.of()),
                        new PolicyView.PeerView(null, "10.0.0.0/8", List.of())), List.of(), null)), List.of());
        assertThat(IpSetAssembler.referencedBy(List.of(uses))).containsExactlyInAnyOrder("np-sel", SET);

        a.accept(SET, null);
        assertThat(a.complete()).doesNotContainKey(SET);
        assertThat(a.forPolicies(IpSetAssembler.referencedBy(List.of(uses)))).as("the policy's update has not come yet")
                .containsKey(SET);
        assertThat(a.forPolicies(Set.of("np-sel"))).as("no policy references it any more").doesNotContainKey(SET);
        assertThat(a.forPolicies(Set.of(SET))).as("forgotten once unreferenced").doesNotContainKey(SET);
    }

    @Test
    void aSetOf150000MembersArrivingInAnyOrderIsExposedOnlyWhole() {
        List<MemberView> all = ShardedRecords.members("x", 0, 150_000);
        List<IpSetView> records = new ArrayList<>(ShardedRecords.shards(SET, "1", all, 256));
        records.add(ShardedRecords.header(SET, "1", records));
        Collections.shuffle(records, new Random(7));
        IpSetAssembler a = new IpSetAssembler();
        long t0 = System.nanoTime();
        for (int i = 0; i < records.size(); i++) {
            a.accept(records.get(i).key(), records.get(i));
            assertThat(a.complete().containsKey(SET)).as("after %d of %d records", i + 1, records.size())
                    .isEqualTo(i == records.size() - 1);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(a.complete().get(SET).members()).hasSize(150_000);
        assertThat(new HashSet<>(a.complete().get(SET).members())).isEqualTo(new HashSet<>(all));
        assertThat(a.pending()).isEmpty();
        System.out.printf("150,000 members in 257 records, shuffled: assembled in %d ms%n", ms);
    }

    @Test
    void aConsumerReplayingTheCompactedTopicRebuildsTheSameSets() {
        String history = "A1 B1 H1 B2 H2 -B1 C3 D3 E3 F3 H3 -A1 -B2";
        IpSetAssembler live = new IpSetAssembler();
        Map<String, IpSetView> compacted = new LinkedHashMap<>();
        for (String step : history.split(" ")) {
            IpSetView v = step.startsWith("-") ? null : RECORDS.get(step);
            String key = (v != null ? v : RECORDS.get(step.substring(1))).key();
            live.accept(key, v);
            compacted.remove(key);
            if (v != null) {
                compacted.put(key, v);
            }
        }
        assertThat(compacted).as("the header and the four shards of v3").hasSize(5);
        for (long seed = 0; seed < 5; seed++) {
            List<Map.Entry<String, IpSetView>> order = new ArrayList<>(compacted.entrySet());
            Collections.shuffle(order, new Random(seed));
            IpSetAssembler fresh = new IpSetAssembler();
            order.forEach(e -> fresh.accept(e.getKey(), e.getValue()));
            assertThat(fresh.complete()).as("replay order %d", seed).isEqualTo(live.complete());
        }
        assertThat(exposed(live)).isEqualTo(Set.copyOf(V2));
    }

    private static Set<MemberView> exposed(IpSetAssembler a) {
        IpSetView v = a.complete().get(SET);
        return v == null ? null : new HashSet<>(v.members());
    }
}
