package io.netplane.api.events;

import java.time.Instant;
import java.util.List;

/**
 * An address set: the Pod IPs selected by one distinct (namespace selector, pod selector) pair, shared by
 * every policy that uses that pair. Members may carry named ports resolved per Pod.
 *
 * <p>A set travels in one of two forms on {@code netplane.ipsets.v1} (see {@link #SHARDING}):
 * <ul>
 * <li><b>inline</b>: key {@code <set>}, every member in {@code members}, {@code shards} empty;
 * <li><b>sharded</b>: a header under key {@code <set>} with no members and {@code shards} listing the keys of its
 * shard records in index order, and one record per shard under key {@code <set>#<index>-<count>-<digest>} whose
 * {@code shard} says where it belongs and whose {@code members} are that shard's part of the set. The digest is
 * derived from the shard's members, so a key always holds the same members: a header is complete exactly when a
 * record is held under every key it lists.
 * </ul>
 *
 * @param name the set id (the key of the set's header)
 * @param selector a readable canonical form of the selector pair (headers and inline sets)
 * @param resourceVersion the resourceVersion of the change that last altered the set (of a shard: when it was written)
 * @param members the members (inline set or shard); empty in a sharded set's header
 * @param shards in a sharded set's header: the keys of its shard records, shard 0 first; empty otherwise
 * @param shard in a shard record: its place in the set; {@code null} in a header or inline set
 */
public record IpSetView(
        String name,
        String resourceVersion,
        Instant observedAt,
        String selector,
        List<MemberView> members,
        List<String> shards,
        ShardView shard) implements ContractEvent {

    /** Joins a set's name to the rest of a shard key; never part of a set name. */
    public static final String SHARD_SEPARATOR = "#";

    /** How sets are split into records, for the contract document. */
    public static final String SHARDING = "Key <set> holds a set's header: the whole set when `shards` is empty "
            + "(inline), else the keys of its shard records, shard 0 first. A shard record's key is "
            + "<set>#<index>-<count>-<digest>; the digest is derived from the shard's members, so a key always holds "
            + "the same members. A consumer uses a sharded set only once it holds a record under every key its current "
            + "header lists (the set is then the union of their members) and keeps the previous complete version until "
            + "then. The producer writes new shards before the header that lists them, new sets before the policies "
            + "that reference them, and tombstones a removed set's header after those policies and its shards (and "
            + "shards no header lists any more) last.";

    public IpSetView {
        members = Lists.of(members);
        shards = Lists.of(shards);
    }

    /** An inline set: every member in this one record. */
    public IpSetView(String name, String resourceVersion, Instant observedAt, String selector, List<MemberView> members) {
        this(name, resourceVersion, observedAt, selector, members, List.of(), null);
    }

    @Override
    public String key() {
        return shard == null ? name : shardKey(name, shard);
    }

    /** True for a sharded set's header (its members are in the records it lists). */
    public boolean sharded() {
        return !shards.isEmpty();
    }

    /** The key of a shard record of set {@code set}. */
    public static String shardKey(String set, ShardView shard) {
        return set + SHARD_SEPARATOR + shard.index() + "-" + shard.count() + "-" + shard.digest();
    }

    /** True when {@code key} is a shard record's key rather than a set's. */
    public static boolean isShardKey(String key) {
        return key.contains(SHARD_SEPARATOR);
    }

    /** The set a shard key belongs to. */
    public static String setOfShardKey(String key) {
        int at = key.indexOf(SHARD_SEPARATOR);
        return at < 0 ? key : key.substring(0, at);
    }

    /** A member Pod: its IPs, its node, and its named container ports. */
    public record MemberView(String pod, List<String> ips, String nodeName, List<PodView.ContainerPortView> namedPorts) {
        public MemberView {
            ips = Lists.of(ips);
            namedPorts = Lists.of(namedPorts);
        }
    }

    /**
     * Where a shard record belongs.
     *
     * @param index 0-based position of the shard in its header's {@code shards}
     * @param count how many shards the set has
     * @param digest identifies the shard's members (hex)
     */
    public record ShardView(int index, int count, String digest) {
    }
}
