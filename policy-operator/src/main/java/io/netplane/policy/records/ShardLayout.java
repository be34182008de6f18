package io.netplane.policy.records;

import io.netplane.api.events.IpSetView.MemberView;
import io.netplane.api.events.IpSetView.ShardView;
import java.util.List;

/**
 * How one set was last laid out on the topic: inline ({@link #INLINE}, no shards) or its shards in index order,
 * with their keys and members (kept so that the next layout can reuse a shard whose members did not change).
 */
public record ShardLayout(List<Shard> shards) {
    public static final ShardLayout INLINE = new ShardLayout(List.of());

    public ShardLayout {
        shards = List.copyOf(shards);
    }

    /** The shard count; 0 for an inline set. */
    public int count() {
        return shards.size();
    }

    public List<String> keys() {
        return shards.stream().map(Shard::key).toList();
    }

    /** One shard record: its key, its place in the set and the members it holds. */
    public record Shard(String key, ShardView place, List<MemberView> members) {
    }
}
