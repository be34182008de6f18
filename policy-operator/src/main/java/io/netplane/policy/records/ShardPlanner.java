package io.netplane.policy.records;

import io.netplane.api.events.EventJson;
import io.netplane.api.events.IpSetView;
import io.netplane.api.events.IpSetView.MemberView;
import io.netplane.api.events.IpSetView.ShardView;
import io.netplane.policy.records.ShardLayout.Shard;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Lays one address set out as Kafka records no larger than a limit. A set of at most {@code maxMembers} members
 * (and {@code maxBytes} of JSON) is one inline record, as before sharding. A larger set gets a header and a power of
 * two of shards; a Pod goes to shard {@code fmix32(podKey.hashCode()) mod count}, so a member change alters only its
 * shard, and a shard whose members did not change keeps its key and is not sent again.
 *
 * <p>The count is stable: it is kept while the set holds between {@code count * maxMembers / 8} and
 * {@code count * maxMembers} members; outside that range it is chosen afresh so that shards hold about
 * {@code maxMembers / 2} (the smallest power of two, at least 2, that does it), which leaves room to grow twofold
 * before the next change of count and keeps a set near a threshold from flapping. Should a shard still exceed either
 * limit (hashing is uneven; members with many named ports are large) the count doubles until every shard fits.
 */
public final class ShardPlanner {
    /**
     * Members per record. A member is about 100-250 bytes of JSON (Pod key, one or two IPs, node, named ports), so
     * 2,000 members stay near 0.5 MB, half of Kafka's default 1 MB {@code max.request.size} and
     * {@code message.max.bytes}; shards are filled to about half of it, a 150,000-member set is 256 records of
     * ~600 members, and a one-member change sends one of them (plus a header of 256 keys, about 10 kB).
     */
    public static final int DEFAULT_MAX_MEMBERS = 2000;
    /** Bytes of JSON per record: half the broker's default limit, leaving room for headers and batch overhead. */
    public static final int DEFAULT_MAX_BYTES = 512 * 1024;
    /** The most shards a set may have (a header lists this many keys in about 200 kB). */
    public static final int MAX_SHARDS = 4096;
    /** What a shard record holds besides its members: name, resourceVersion, observedAt, shard. */
    private static final int ENVELOPE_BYTES = 512;

    private final int maxMembers;
    private final int maxBytes;

    public ShardPlanner(int maxMembers, int maxBytes) {
        if (maxMembers < 16) {
            throw new IllegalArgumentException("the members per ipset record must be at least 16, not " + maxMembers);
        }
        if (maxBytes < 16 * 1024) {
            throw new IllegalArgumentException("the bytes per ipset record must be at least 16384, not " + maxBytes);
        }
        this.maxMembers = maxMembers;
        this.maxBytes = maxBytes;
    }

    public ShardPlanner() {
        this(DEFAULT_MAX_MEMBERS, DEFAULT_MAX_BYTES);
    }

    /**
     * The records that take the topic from {@code previous} to {@code set}.
     *
     * @param set a whole set as the compiler views it (members inline)
     * @param resendAll send every shard, also those the topic should hold already (after a failed publish)
     * @throws IllegalArgumentException when {@code set} is not a whole set, or cannot fit in {@link #MAX_SHARDS} shards
     */
    public ShardPlan plan(IpSetView set, ShardLayout previous, boolean resendAll) {
        if (set.sharded() || set.shard() != null) {
            throw new IllegalArgumentException("set " + set.name() + ": expected the whole set, got a header or a shard");
        }
        List<MemberView> members = set.members();
        int count = keptCount(members.size(), previous.count());
        if (count == 0) {
            if (members.size() <= maxMembers && EventJson.write(set).length <= maxBytes) {
                return new ShardPlan(List.of(), set, previous.keys(), ShardLayout.INLINE);
            }
            count = freshCount(members.size());
        }
        while (true) {
            List<Shard> shards = shards(set.name(), partition(members, count), previous);
            if (shards != null) {
                return plan(set, new ShardLayout(shards), previous, resendAll);
            }
            count *= 2;
            if (count > MAX_SHARDS) {
                throw new IllegalArgumentException("set " + set.name() + ": " + members.size() + " members do not fit in "
                        + MAX_SHARDS + " records of at most " + maxMembers + " members and " + maxBytes + " bytes");
            }
        }
    }

    /** The shard of a Pod among {@code count} (a power of two). */
    public static int shardOf(String podKey, int count) {
        int h = podKey.hashCode();
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h & (count - 1);
    }

    /** The previous count while the size stays in its range; 0 when the count must be chosen afresh. */
    private int keptCount(int size, int previous) {
        if (previous >= 2 && size <= (long) previous * maxMembers && size >= (long) previous * maxMembers / 8) {
            return previous;
        }
        return size <= maxMembers ? 0 : freshCount(size);
    }

    private int freshCount(int size) {
        int target = maxMembers / 2;
        int count = 2;
        while ((long) count * target < size && count < MAX_SHARDS) {
            count *= 2;
        }
        return count;
    }

    private static List<List<MemberView>> partition(List<MemberView> members, int count) {
        List<List<MemberView>> buckets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            buckets.add(new ArrayList<>(members.size() / count + 16));
        }
        for (MemberView m : members) {
            buckets.get(shardOf(m.pod(), count)).add(m);
        }
        return buckets;
    }

    /** The shards, reusing the previous shard at the same place when its members are the same; null when one is too big. */
    private List<Shard> shards(String set, List<List<MemberView>> buckets, ShardLayout previous) {
        int count = buckets.size();
        List<Shard> shards = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            List<MemberView> bucket = buckets.get(i);
            Shard before = previous.count() == count ? previous.shards().get(i) : null;
            if (before != null && before.members().equals(bucket)) {
                shards.add(before);
                continue;
            }
            if (bucket.size() > maxMembers) {
                return null;
            }
            byte[] json = EventJson.write(bucket);
            if (json.length + ENVELOPE_BYTES > maxBytes) {
                return null;
            }
            ShardView place = new ShardView(i, count, digest(json));
            shards.add(new Shard(IpSetView.shardKey(set, place), place, List.copyOf(bucket)));
        }
        return shards;
    }

    private static ShardPlan plan(IpSetView set, ShardLayout layout, ShardLayout previous, boolean resendAll) {
        Set<String> before = new HashSet<>(previous.keys());
        Set<String> now = new HashSet<>(layout.keys());
        List<IpSetView> send = layout.shards().stream().filter(s -> resendAll || !before.contains(s.key()))
                .map(s -> new IpSetView(set.name(), set.resourceVersion(), set.observedAt(), null, s.members(), List.of(), s.place()))
                .toList();
        IpSetView header = new IpSetView(set.name(), set.resourceVersion(), set.observedAt(), set.selector(), List.of(),
                layout.keys(), null);
        List<String> retired = previous.keys().stream().filter(k -> !now.contains(k)).toList();
        return new ShardPlan(send, header, retired, layout);
    }

    private static String digest(byte[] json) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(json);
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
