package io.netplane.proxy.policy;

import io.netplane.api.events.IpSetView;
import io.netplane.api.events.IpSetView.MemberView;
import io.netplane.api.events.PolicyView;
import io.netplane.api.events.PolicyView.RuleView;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Rebuilds address sets from the records of {@code netplane.ipsets.v1}, in whatever order they arrive (their keys may
 * sit on different partitions). An inline set is complete on arrival. A sharded set is complete when a shard record
 * is held under every key its current header lists (a key's members never change: the key derives from them); only
 * then is it exposed, as the union of those shards. Until then the previous complete version stays exposed, or none
 * when there never was one, so enforcement never sees half a set and never flaps between versions. A header's
 * tombstone removes the set, but {@link #forPolicies} keeps its last version for as long as a policy held still
 * references it: the producer tombstones a set only after the policies that stopped using it, yet the two topics are
 * read side by side, so the tombstone may come first. Shard records are kept until their own tombstone, as the next
 * header may list them. Records that contradict themselves are refused with a reason and change nothing.
 * Not thread-safe.
 */
public final class IpSetAssembler {
    private final Map<String, IpSetView> headers = new HashMap<>();
    private final Map<String, IpSetView> shards = new HashMap<>();
    private final Map<String, IpSetView> complete = new HashMap<>();
    /** Removed sets' last complete versions, until no policy references them. */
    private final Map<String, IpSetView> removed = new HashMap<>();
    private final Set<String> pending = new TreeSet<>();

    /**
     * What one record did.
     *
     * @param changed the exposed sets changed (a render is due)
     * @param problem why the record was refused, or null
     */
    public record Outcome(boolean changed, String problem) {
        static final Outcome NONE = new Outcome(false, null);

        static Outcome refused(String key, String why) {
            return new Outcome(false, "ipset record " + key + " refused: " + why);
        }
    }

    /** Takes one record: its key and its value, or null for a tombstone. */
    public Outcome accept(String key, IpSetView value) {
        if (key == null) {
            return Outcome.refused("(no key)", "a record needs a key");
        }
        return IpSetView.isShardKey(key) ? acceptShard(key, value) : acceptHeader(key, value);
    }

    /** The complete sets, by name (a live view; copy it to keep it). */
    public Map<String, IpSetView> complete() {
        return Collections.unmodifiableMap(complete);
    }

    /**
     * The sets to enforce for policies referencing {@code referenced}: the complete ones, plus removed ones still
     * referenced. Removed sets no longer referenced are forgotten.
     */
    public Map<String, IpSetView> forPolicies(Set<String> referenced) {
        removed.keySet().retainAll(referenced);
        if (removed.isEmpty()) {
            return Map.copyOf(complete);
        }
        Map<String, IpSetView> out = new HashMap<>(removed);
        out.putAll(complete);
        return out;
    }

    /** The set names {@code policies} reference: selected Pods, peers, named-port destinations. */
    public static Set<String> referencedBy(Collection<PolicyView> policies) {
        Set<String> names = new HashSet<>();
        for (PolicyView p : policies) {
            names.add(p.podSelectorSet());
            for (RuleView r : p.ingress()) {
                r.peers().forEach(peer -> names.add(peer.ipSet()));
            }
            for (RuleView r : p.egress()) {
                r.peers().forEach(peer -> names.add(peer.ipSet()));
                names.add(r.namedPortSet());
            }
        }
        names.remove(null);
        return names;
    }

    /** The sets whose current header lists a shard not received yet (their previous version, if any, is exposed). */
    public Set<String> pending() {
        return Collections.unmodifiableSet(pending);
    }

    private Outcome acceptHeader(String name, IpSetView v) {
        if (v == null) {
            headers.remove(name);
            pending.remove(name);
            IpSetView last = complete.remove(name);
            if (last != null) {
                removed.put(name, last);
            }
            return new Outcome(last != null, null);
        }
        if (!name.equals(v.name())) {
            return Outcome.refused(name, "its value names set " + v.name());
        }
        if (v.shard() != null) {
            return Outcome.refused(name, "a shard under a set's key");
        }
        if (v.sharded() && !v.members().isEmpty()) {
            return Outcome.refused(name, "a header lists shards and holds members too");
        }
        for (String k : v.shards()) {
            if (!IpSetView.isShardKey(k) || !IpSetView.setOfShardKey(k).equals(name)) {
                return Outcome.refused(name, "it lists " + k + ", not a shard key of this set");
            }
        }
        headers.put(name, v);
        removed.remove(name);
        return assemble(name);
    }

    private Outcome acceptShard(String key, IpSetView v) {
        String set = IpSetView.setOfShardKey(key);
        if (v == null) {
            shards.remove(key);
            return Outcome.NONE; // a complete version built from it stays until a header replaces it
        }
        if (v.shard() == null || !key.equals(v.key())) {
            return Outcome.refused(key, "its value is not the shard its key names");
        }
        shards.put(key, v);
        IpSetView header = headers.get(set);
        return header != null && header.shards().contains(key) ? assemble(set) : Outcome.NONE;
    }

    /** Exposes the header's set when every shard it lists is here; otherwise marks it pending. */
    private Outcome assemble(String name) {
        IpSetView header = headers.get(name);
        if (!header.sharded()) {
            pending.remove(name);
            return new Outcome(!header.equals(complete.put(name, header)), null);
        }
        List<String> keys = header.shards();
        int size = 0;
        for (int i = 0; i < keys.size(); i++) {
            IpSetView shard = shards.get(keys.get(i));
            if (shard == null) {
                pending.add(name);
                return Outcome.NONE;
            }
            if (shard.shard().index() != i || shard.shard().count() != keys.size()) {
                pending.add(name);
                return Outcome.refused(name, "it lists " + keys.get(i) + " as shard " + i + " of " + keys.size());
            }
            size += shard.members().size();
        }
        List<MemberView> members = new ArrayList<>(size);
        keys.forEach(k -> members.addAll(shards.get(k).members()));
        pending.remove(name);
        IpSetView whole = new IpSetView(name, header.resourceVersion(), header.observedAt(), header.selector(), members);
        IpSetView before = complete.put(name, whole);
        return new Outcome(before == null || !before.members().equals(members), null);
    }
}
