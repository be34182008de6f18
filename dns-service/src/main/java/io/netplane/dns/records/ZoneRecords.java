package io.netplane.dns.records;

import io.netplane.api.net.IpAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * An immutable snapshot of everything the server knows: the RRsets by owner name (cluster zone names and the
 * reverse names of ClusterIPs and endpoints), the names that exist (owners and all their ancestors inside the
 * zone, so empty non-terminals answer NODATA rather than NXDOMAIN), the Pod addresses per namespace for
 * verified Pod records, and the objects that were skipped because they could not become records.
 */
public final class ZoneRecords {
    private final ZoneSettings settings;
    private final ShardedMap<Name, Map<Integer, List<Record>>> rrsets;
    private final ShardedMap<Name, Boolean> existing;
    private final Map<String, Set<IpAddress>> podAddresses;
    private final List<String> rejected;

    private ZoneRecords(ZoneSettings settings, ShardedMap<Name, Map<Integer, List<Record>>> rrsets,
            ShardedMap<Name, Boolean> existing, Map<String, Set<IpAddress>> podAddresses, List<String> rejected) {
        this.settings = settings;
        this.rrsets = rrsets;
        this.existing = existing;
        this.podAddresses = podAddresses;
        this.rejected = rejected;
    }

    public ZoneSettings settings() {
        return settings;
    }

    /** The RRsets at {@code name} by type; empty when the name owns no records. */
    public Map<Integer, List<Record>> at(Name name) {
        Map<Integer, List<Record>> at = rrsets.get(name);
        return at == null ? Map.of() : at;
    }

    /** True when {@code name} owns records or is an ancestor (inside the zone) of a name that does. */
    public boolean exists(Name name) {
        return existing.containsKey(name);
    }

    /** True when a Pod in {@code namespace} (lower case) has {@code address}. */
    public boolean hasPod(String namespace, IpAddress address) {
        return podAddresses.getOrDefault(namespace, Set.of()).contains(address);
    }

    public boolean hasPodNamespace(String namespace) {
        return podAddresses.containsKey(namespace);
    }

    /** Objects that produced no records, each {@code "<topic key>: <reason>"}, for the shell to log. */
    public List<String> rejected() {
        return rejected;
    }

    /** Every stored record (for exporting the zone, e.g. to a peer server in the benchmark). */
    public List<Record> allRecords() {
        List<Record> all = new java.util.ArrayList<>();
        rrsets.values().forEach(m -> m.values().forEach(all::addAll));
        return all;
    }

    /** The names that exist, for tests (copied: costly at scale). */
    Set<Name> existingNames() {
        return Set.copyOf(existing.keys());
    }

    Map<String, Set<IpAddress>> podAddresses() {
        return podAddresses;
    }

    public int recordCount() {
        return rrsets.values().stream().mapToInt(m -> m.values().stream().mapToInt(List::size).sum()).sum();
    }

    /** A snapshot from maps the caller no longer changes (see {@link ZoneIndex}). */
    static ZoneRecords of(ZoneSettings settings, ShardedMap<Name, Map<Integer, List<Record>>> rrsets,
            ShardedMap<Name, Boolean> existing, Map<String, Set<IpAddress>> podAddresses, List<String> rejected) {
        return new ZoneRecords(settings, rrsets, existing, podAddresses, List.copyOf(rejected));
    }

    public static Builder builder(ZoneSettings settings) {
        return new Builder(settings);
    }

    /** Collects records (duplicates collapse: RRsets are sets) and computes which names exist. */
    public static final class Builder {
        private final ZoneSettings settings;
        private final Map<Name, Map<Integer, Set<Record>>> rrsets = new HashMap<>();
        private final Set<Name> existing = new HashSet<>();
        private final Map<String, Set<IpAddress>> podAddresses = new HashMap<>();
        private final List<String> rejected = new java.util.ArrayList<>();

        private Builder(ZoneSettings settings) {
            this.settings = settings;
        }

        public Builder add(Record r) {
            rrsets.computeIfAbsent(r.getName(), n -> new LinkedHashMap<>())
                    .computeIfAbsent(r.getType(), t -> new LinkedHashSet<>()).add(r);
            markExists(r.getName());
            return this;
        }

        /** Marks a name and its ancestors down to the zone origin as existing (names outside the zone are not marked). */
        public Builder markExists(Name name) {
            Name origin = settings.origin();
            if (!name.subdomain(origin)) {
                return this;
            }
            for (Name n = name; n.labels() >= origin.labels(); n = new Name(n, 1)) {
                if (!existing.add(n)) { // its ancestors are already marked
                    break;
                }
            }
            return this;
        }

        public Builder addPod(String namespace, IpAddress address) {
            podAddresses.computeIfAbsent(namespace, k -> new HashSet<>()).add(address);
            return this;
        }

        public Builder reject(String key, String reason) {
            return rejected(key + ": " + reason);
        }

        Builder rejected(String keyAndReason) {
            rejected.add(keyAndReason);
            return this;
        }

        public ZoneRecords build() {
            Map<Name, Map<Integer, List<Record>>> frozen = new HashMap<>(rrsets.size() * 2);
            rrsets.forEach((name, byType) -> {
                Map<Integer, List<Record>> types = new HashMap<>(byType.size() * 2);
                byType.forEach((type, set) -> types.put(type, List.copyOf(set)));
                frozen.put(name, Map.copyOf(types));
            });
            Map<String, Set<IpAddress>> pods = new HashMap<>();
            podAddresses.forEach((ns, set) -> pods.put(ns, Set.copyOf(set)));
            return new ZoneRecords(settings, ShardedMap.of(frozen), ShardedMap.ofKeys(existing), pods,
                    List.copyOf(rejected));
        }
    }
}
