package io.netplane.proxy.policy;

import io.netplane.api.events.IpSetView;
import io.netplane.api.events.IpSetView.MemberView;
import io.netplane.api.events.IpSetView.ShardView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Test records of a sharded set in the contract's form (policy-operator's {@code ShardPlanner} writes the same
 * form): shard records whose key derives from their members, then a header listing them. Members go to shard
 * {@code floorMod(podKey.hashCode(), count)}, so removing one member changes one shard; the consumer relies on
 * nothing but the form.
 */
final class ShardedRecords {
    private ShardedRecords() {
    }

    /** The shard records of {@code members} in {@code count} shards, shard 0 first. */
    static List<IpSetView> shards(String set, String rv, List<MemberView> members, int count) {
        List<List<MemberView>> parts = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            parts.add(new ArrayList<>());
        }
        members.forEach(m -> parts.get(Math.floorMod(m.pod().hashCode(), count)).add(m));
        List<IpSetView> out = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            List<MemberView> part = parts.get(s);
            out.add(new IpSetView(set, rv, Instant.EPOCH, null, part, List.of(),
                    new ShardView(s, count, String.format("%08x", part.hashCode()))));
        }
        return out;
    }

    /** The header listing {@code shards}. */
    static IpSetView header(String set, String rv, List<IpSetView> shards) {
        return new IpSetView(set, rv, Instant.EPOCH, set + "/selector", List.of(), shards.stream().map(IpSetView::key).toList(), null);
    }

    /** Member {@code i} of a synthetic set: Pod {@code <ns>/p-<i>} on another node, address 10.100.0.0 + i. */
    static MemberView member(String ns, int i) {
        return new MemberView(ns + "/p-" + i, List.of("10." + (100 + i / 65536) + "." + (i / 256 % 256) + "." + (i % 256)),
                "elsewhere", List.of());
    }

    static List<MemberView> members(String ns, int from, int to) {
        List<MemberView> out = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            out.add(member(ns, i));
        }
        return out;
    }
}
