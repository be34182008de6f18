package io.netplane.dns.records;

import io.netplane.api.events.EndpointSliceView;
import io.netplane.api.events.PodView;
import io.netplane.api.events.ServiceView;
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
 * The zone kept up to date object by object: each Service's records (with its EndpointSlices) and each Pod's are
 * planned by {@link ZonePlanner} only when that object, or one it depends on, changes, and merged into the zone by
 * reference counts, so a change at 10,000 Services costs the few records it touches instead of a whole-zone plan.
 * A Pod's hostname records depend on the headless Service its subdomain names: a change of that Service replans
 * those Pods. {@link #snapshot} gives the immutable {@link ZoneRecords} the server answers from, equal to what
 * {@link ZonePlanner#plan} gives for the same objects. Not thread-safe: one thread applies changes and snapshots.
 */
public final class ZoneIndex {
    private final ZoneSettings settings;
    private final Map<String, ServiceView> services = new HashMap<>();
    private final Map<String, EndpointSliceView> slices = new HashMap<>();
    private final Map<String, Map<String, EndpointSliceView>> slicesByService = new HashMap<>();
    private final Map<String, PodView> pods = new HashMap<>();
    /** Service key ({@code namespace/subdomain}) to the Pods whose hostname records it decides. */
    private final Map<String, Set<String>> podsBySubdomain = new HashMap<>();
    private final Map<String, Contribution> serviceRecords = new HashMap<>();
    private final Map<String, Contribution> podRecords = new HashMap<>();
    private final Set<String> dirtyServices = new LinkedHashSet<>();
    private final Set<String> dirtyPods = new LinkedHashSet<>();

    /** Per owner name and type, each record and how many objects contribute it (RRsets are sets). */
    private final Map<Name, Map<Integer, Map<Record, Integer>>> counts = new HashMap<>();
    /** The owners whose records changed since the last snapshot. */
    private final Set<Name> touched = new HashSet<>();
    /** Per name inside the zone: how many owner names it is, or is an ancestor of; it exists while above 0. */
    private final Map<Name, Integer> existing = new HashMap<>();
    /** Names whose existence flipped since the last snapshot, to their state now. */
    private final Map<Name, Boolean> existenceChanged = new HashMap<>();
    private final Map<String, Map<IpAddress, Integer>> podAddresses = new HashMap<>();
    private final Set<String> touchedNamespaces = new HashSet<>();
    private final Map<String, String> rejected = new HashMap<>();
    /** What the last snapshot served, changed only where something changed. */
    private ShardedMap<Name, Map<Integer, List<Record>>> publishedRecords = ShardedMap.empty();
    private ShardedMap<Name, Boolean> publishedNames = ShardedMap.empty();
    private final Map<String, Set<IpAddress>> publishedPods = new HashMap<>();
    private Contribution apex = Contribution.NONE;

    public ZoneIndex(ZoneSettings settings) {
        this.settings = settings;
        ZonePlanner.apexNames(settings).forEach(n -> markExists(n, 1));
    }

    public void putService(ServiceView svc) {
        services.put(svc.key(), svc);
        dirtyServices.add(svc.key());
    }

    public void removeService(String key) {
        if (services.remove(key) != null) {
            dirtyServices.add(key);
        }
    }

    /** @param key the slice's topic key (its namespace/name) */
    public void putSlice(String key, EndpointSliceView slice) {
        removeSlice(key);
        slices.put(key, slice);
        String service = ZonePlanner.serviceKey(slice);
        slicesByService.computeIfAbsent(service, k -> new LinkedHashMap<>()).put(key, slice);
        dirtyServices.add(service);
    }

    public void removeSlice(String key) {
        EndpointSliceView before = slices.remove(key);
        if (before == null) {
            return;
        }
        String service = ZonePlanner.serviceKey(before);
        Map<String, EndpointSliceView> of = slicesByService.get(service);
        of.remove(key);
        if (of.isEmpty()) {
            slicesByService.remove(service);
        }
        dirtyServices.add(service);
    }

    /** @param key the Pod's topic key */
    public void putPod(String key, PodView pod) {
        removePod(key);
        pods.put(key, pod);
        String subdomain = ZonePlanner.subdomainKey(pod);
        if (subdomain != null) {
            podsBySubdomain.computeIfAbsent(subdomain, k -> new HashSet<>()).add(key);
        }
        dirtyPods.add(key);
    }

    public void removePod(String key) {
        PodView before = pods.remove(key);
        if (before == null) {
            return;
        }
        String subdomain = ZonePlanner.subdomainKey(before);
        if (subdomain != null) {
            Set<String> of = podsBySubdomain.get(subdomain);
            of.remove(key);
            if (of.isEmpty()) {
                podsBySubdomain.remove(subdomain);
            }
        }
        dirtyPods.add(key);
    }

    public int serviceCount() {
        return services.size();
    }

    public int sliceCount() {
        return slices.size();
    }

    public int podCount() {
        return pods.size();
    }

    /** The zone as of now, with {@code serial} in its SOA: replans what changed since the last snapshot. */
    public ZoneRecords snapshot(long serial) {
        ZoneSettings now = settings.withSerial(serial);
        Contribution nextApex = ZonePlanner.apex(now);
        replace("", apex, nextApex);
        apex = nextApex;
        for (String key : dirtyServices) {
            ServiceView svc = services.get(key);
            Contribution next = svc == null ? null : ZonePlanner.service(settings, svc,
                    slicesByService.getOrDefault(key, Map.of()).values());
            Contribution before = next == null ? serviceRecords.remove(key) : serviceRecords.put(key, next);
            replace("service " + key, before, next);
            // its Pods' hostname records follow whether it is a headless Service that planned without fault,
            // and whether it publishes not-ready addresses; a slice change can change the first
            dirtyPods.addAll(podsBySubdomain.getOrDefault(key, Set.of()));
        }
        dirtyServices.clear();
        for (String key : dirtyPods) {
            PodView pod = pods.get(key);
            Contribution next = pod == null ? null : ZonePlanner.pod(settings, pod, headless(pod));
            Contribution before = next == null ? podRecords.remove(key) : podRecords.put(key, next);
            replace("pod " + key, before, next);
        }
        dirtyPods.clear();
        Map<Name, Map<Integer, List<Record>>> records = new HashMap<>(touched.size() * 2);
        for (Name name : touched) {
            Map<Integer, Map<Record, Integer>> byType = counts.get(name);
            if (byType == null) {
                records.put(name, null);
                continue;
            }
            Map<Integer, List<Record>> types = new HashMap<>(byType.size() * 2);
            byType.forEach((type, rs) -> types.put(type, List.copyOf(rs.keySet())));
            records.put(name, Map.copyOf(types));
        }
        touched.clear();
        publishedRecords = publishedRecords.with(records);
        publishedNames = ShardedMap.withKeys(publishedNames, existenceChanged);
        existenceChanged.clear();
        for (String ns : touchedNamespaces) {
            Map<IpAddress, Integer> ips = podAddresses.get(ns);
            if (ips == null) {
                publishedPods.remove(ns);
            } else {
                publishedPods.put(ns, Set.copyOf(ips.keySet()));
            }
        }
        touchedNamespaces.clear();
        return ZoneRecords.of(now, publishedRecords, publishedNames, Map.copyOf(publishedPods),
                List.copyOf(rejected.values()));
    }

    private ServiceView headless(PodView pod) {
        String key = ZonePlanner.subdomainKey(pod);
        ServiceView svc = key == null ? null : services.get(key);
        if (svc == null || !ZonePlanner.isHeadless(svc)) {
            return null;
        }
        Contribution planned = serviceRecords.get(key);
        return planned != null && planned.rejected() == null ? svc : null;
    }

    private void replace(String key, Contribution before, Contribution next) {
        if (next != null && next.rejected() != null) {
            rejected.put(key, next.rejected());
        } else {
            rejected.remove(key);
        }
        if (before != null) {
            before.records().forEach(r -> count(r, -1));
            before.podAddresses().forEach(ip -> countPod(before.podNamespace(), ip, -1));
        }
        if (next != null) {
            next.records().forEach(r -> count(r, 1));
            next.podAddresses().forEach(ip -> countPod(next.podNamespace(), ip, 1));
        }
    }

    private void count(Record r, int delta) {
        Name name = r.getName();
        touched.add(name);
        Map<Integer, Map<Record, Integer>> byType = counts.computeIfAbsent(name, n -> new HashMap<>(4));
        Map<Record, Integer> records = byType.computeIfAbsent(r.getType(), t -> new LinkedHashMap<>(4));
        int n = records.merge(r, delta, Integer::sum);
        if (n <= 0) {
            records.remove(r);
            if (records.isEmpty()) {
                byType.remove(r.getType());
            }
        }
        if (byType.isEmpty()) {
            counts.remove(name);
            markExists(name, -1);
        } else if (n == 1 && delta > 0 && byType.size() == 1 && records.size() == 1) {
            markExists(name, 1); // the name's first record
        }
    }

    private void markExists(Name name, int delta) {
        Name origin = settings.origin();
        if (!name.subdomain(origin)) {
            return;
        }
        for (Name n = name; n.labels() >= origin.labels(); n = new Name(n, 1)) {
            int left = existing.merge(n, delta, Integer::sum);
            if (left <= 0) {
                existing.remove(n);
                existenceChanged.put(n, false);
            } else if (left == delta) {
                existenceChanged.put(n, true); // came into existence
            }
        }
    }

    private void countPod(String namespace, IpAddress ip, int delta) {
        touchedNamespaces.add(namespace);
        Map<IpAddress, Integer> ips = podAddresses.computeIfAbsent(namespace, k -> new HashMap<>());
        if (ips.merge(ip, delta, Integer::sum) <= 0) {
            ips.remove(ip);
        }
        if (ips.isEmpty()) {
            podAddresses.remove(namespace);
        }
    }
}
