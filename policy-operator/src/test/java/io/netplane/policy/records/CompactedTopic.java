package io.netplane.policy.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.api.events.IpSetView;
import io.netplane.api.events.IpSetView.MemberView;
import io.netplane.api.events.PolicyView;
import io.netplane.api.events.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ipsets and policies topics as compaction leaves them (the latest value per key), fed publication by
 * publication, wave by wave. After every wave it checks what a consumer reading the topics from the beginning at
 * that moment would find: every header lists only shards the topic holds, and every set a policy references is there.
 */
final class CompactedTopic {
    final Map<String, IpSetView> sets = new TreeMap<>();
    final Map<String, PolicyView> policies = new TreeMap<>();
    int records;

    CompactedTopic apply(Publication p) {
        for (List<Outgoing> wave : p.waves()) {
            for (Outgoing o : wave) {
                records++;
                if (o.value() != null) {
                    assertThat(o.key()).isEqualTo(o.value().key());
                }
                if (o.topic().equals(Topics.IP_SETS)) {
                    put(sets, o.key(), (IpSetView) o.value());
                } else {
                    put(policies, o.key(), (PolicyView) o.value());
                }
            }
            assertConsistent();
        }
        return this;
    }

    private static <T> void put(Map<String, T> m, String key, T value) {
        if (value == null) {
            m.remove(key);
        } else {
            m.put(key, value);
        }
    }

    /** The sets a consumer rebuilds from the topic: name → members, each header's shards joined. */
    Map<String, List<MemberView>> rebuilt() {
        Map<String, List<MemberView>> out = new TreeMap<>();
        sets.forEach((key, v) -> {
            if (IpSetView.isShardKey(key)) {
                return;
            }
            List<MemberView> members = new ArrayList<>(v.members());
            for (String shard : v.shards()) {
                members.addAll(sets.get(shard).members());
            }
            out.put(key, members);
        });
        return out;
    }

    /** Shard records no header lists (none should be left once a publication is done). */
    List<String> orphanShards() {
        java.util.Set<String> listed = new java.util.HashSet<>();
        sets.values().forEach(v -> listed.addAll(v.shards()));
        return sets.keySet().stream().filter(IpSetView::isShardKey).filter(k -> !listed.contains(k)).toList();
    }

    private void assertConsistent() {
        sets.forEach((key, v) -> {
            for (int i = 0; i < v.shards().size(); i++) {
                IpSetView shard = sets.get(v.shards().get(i));
                assertThat(shard).as("shard %d of header %s", i, key).isNotNull();
                assertThat(shard.shard().index()).isEqualTo(i);
                assertThat(shard.shard().count()).isEqualTo(v.shards().size());
                assertThat(shard.name()).isEqualTo(key);
            }
        });
        for (PolicyView p : policies.values()) {
            List<String> refs = new ArrayList<>(List.of(p.podSelectorSet()));
            for (var rule : p.ingress()) {
                rule.peers().stream().filter(x -> x.ipSet() != null).forEach(x -> refs.add(x.ipSet()));
            }
            for (var rule : p.egress()) {
                rule.peers().stream().filter(x -> x.ipSet() != null).forEach(x -> refs.add(x.ipSet()));
                if (rule.namedPortSet() != null) {
                    refs.add(rule.namedPortSet());
                }
            }
            assertThat(sets.keySet()).as("the sets policy %s references", p.key()).containsAll(refs);
        }
    }
}
