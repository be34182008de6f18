package io.netplane.policy.records;

import io.netplane.api.events.IpSetView;
import java.util.List;

/**
 * The records of one set change, in the order they must reach the topic: the shard records not there yet, then the
 * header (the whole set when inline), then tombstones for the shard keys the header no longer lists.
 *
 * @param layout what the topic holds for the set once the plan is published
 */
public record ShardPlan(List<IpSetView> newShards, IpSetView header, List<String> retiredShards, ShardLayout layout) {
}
