package io.netplane.policy.records;

import io.netplane.api.events.IpSetView;
import io.netplane.api.events.PolicyView;
import io.netplane.api.events.Topics;
import io.netplane.policy.compiler.CompileDelta;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns compile deltas into {@link Publication}s and remembers how each set is laid out on the topic (so the next
 * change of a set sends only the shards that changed). The waves keep every consumer consistent, whatever partition
 * each key lands on:
 * <ol>
 * <li>the shard records of changed sets that the topic does not hold yet;
 * <li>the changed sets' headers (or inline sets), so a header never lists a shard not written;
 * <li>the changed policies and the tombstones of removed ones, after the sets they reference;
 * <li>the tombstones of removed sets' headers, after the policies that stopped referencing them;
 * <li>the tombstones of shards no header lists any more (replaced, or of removed sets), once no header needs them.
 * </ol>
 * Not thread-safe: the publisher calls it under its lock, in the order the records are sent.
 */
public final class PublishPlanner {
    private final ShardPlanner shards;
    private final Map<String, ShardLayout> layouts = new HashMap<>();

    public PublishPlanner(ShardPlanner shards) {
        this.shards = shards;
    }

    /**
     * The records of one delta.
     *
     * @param resendAll also resend the shards the topic should hold already (whole-state republish after a failure
     *     or at the start of a term: what was sent before may not have arrived)
     */
    public Publication plan(CompileDelta d, boolean resendAll) {
        List<Outgoing> newShards = new ArrayList<>();
        List<Outgoing> headers = new ArrayList<>();
        List<Outgoing> policies = new ArrayList<>();
        List<Outgoing> removedHeaders = new ArrayList<>();
        List<Outgoing> retired = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (IpSetView set : d.sets()) {
            ShardPlan p;
            try {
                p = shards.plan(set, layouts.getOrDefault(set.name(), ShardLayout.INLINE), resendAll);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
                continue;
            }
            layouts.put(set.name(), p.layout());
            p.newShards().forEach(s -> newShards.add(Outgoing.put(Topics.IP_SETS, s)));
            headers.add(Outgoing.put(Topics.IP_SETS, p.header()));
            p.retiredShards().forEach(k -> retired.add(Outgoing.tombstone(Topics.IP_SETS, k)));
        }
        for (PolicyView p : d.policies()) {
            policies.add(Outgoing.put(Topics.POLICIES, p));
        }
        d.removedPolicies().forEach(k -> policies.add(Outgoing.tombstone(Topics.POLICIES, k)));
        for (String id : d.removedSets()) {
            removedHeaders.add(Outgoing.tombstone(Topics.IP_SETS, id));
            ShardLayout gone = layouts.remove(id);
            if (gone != null) {
                gone.keys().forEach(k -> retired.add(Outgoing.tombstone(Topics.IP_SETS, k)));
            }
        }
        return new Publication(List.of(newShards, headers, policies, removedHeaders, retired), problems);
    }

    /**
     * Tombstones for keys found on the topics that nothing current holds (left by a previous run): policies first,
     * then set headers, then shards, so no header is left listing a shard already gone.
     */
    public Publication tombstones(Collection<String> policies, Collection<String> setKeys) {
        List<Outgoing> p = policies.stream().map(k -> Outgoing.tombstone(Topics.POLICIES, k)).toList();
        List<Outgoing> headers = setKeys.stream().filter(k -> !IpSetView.isShardKey(k))
                .map(k -> Outgoing.tombstone(Topics.IP_SETS, k)).toList();
        List<Outgoing> shardKeys = setKeys.stream().filter(IpSetView::isShardKey)
                .map(k -> Outgoing.tombstone(Topics.IP_SETS, k)).toList();
        return new Publication(List.of(p, headers, shardKeys), List.of());
    }

    /** The shard keys the current layouts hold on the topic (to tell stale keys from live ones). */
    public Set<String> liveShardKeys() {
        Set<String> keys = new HashSet<>();
        layouts.values().forEach(l -> keys.addAll(l.keys()));
        return keys;
    }

    /** The layout of a set as last planned (for tests and diagnostics). */
    public ShardLayout layout(String set) {
        return layouts.getOrDefault(set, ShardLayout.INLINE);
    }
}
