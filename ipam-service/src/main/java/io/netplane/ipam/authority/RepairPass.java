package io.netplane.ipam.authority;

import io.netplane.api.events.ObjectRef;
import io.netplane.ipam.plan.Grant;
import io.netplane.ipam.plan.ServiceAllocator;
import io.netplane.ipam.plan.ServiceRequest;
import io.netplane.ipam.records.AllocationNames;
import io.netplane.ipam.records.AllocationRecord;
import io.netplane.ipam.store.AllocationStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Brings the allocation map in line with the Services that exist, as kube-apiserver's repair controllers do: every
 * ClusterIP and node port a Service holds gets a record (adopted when the API server allocated it while ipam-service
 * was down), a value recorded for someone else is a conflict to report, and a record whose owner no longer holds it
 * is a leak, released once older than the grace period (an admitted Service may not be stored yet). Records of any
 * kind (LoadBalancer addresses too) whose Service is gone are released by the full pass.
 */
public final class RepairPass {
    /** One thing a user must see: a value two owners claim. */
    public record Conflict(ObjectRef service, String value, ObjectRef recordedOwner) {
        public String message() {
            return value + " is held by this Service but recorded for " + AddressAuthority.describe(recordedOwner);
        }
    }

    /** What a pass did. */
    public record Result(int adopted, int released, List<Conflict> conflicts) {
    }

    private final AddressAuthority authority;
    private final Duration grace;

    public RepairPass(AddressAuthority authority, Duration grace) {
        this.authority = authority;
        this.grace = grace;
    }

    /** Repairs one Service (an informer event); {@code service == null} means it was deleted. */
    public Result service(ObjectRef owner, ServiceRequest service, Instant now) {
        List<AllocationRecord> owned = authority.ownedBy(owner).stream().filter(RepairPass::serviceKind).toList();
        return reconcile(owner, service, owned, now, service == null);
    }

    /** Repairs everything: {@code services} are all Services that exist, keyed by owner. */
    public Result all(Map<ObjectRef, ServiceRequest> services, Instant now) {
        authority.resync();
        Map<String, List<AllocationRecord>> byOwner = new HashMap<>();
        for (AllocationRecord r : authority.store().list()) {
            if (r.owner() != null && "Service".equals(r.owner().kind())) {
                byOwner.computeIfAbsent(key(r.owner()), k -> new ArrayList<>()).add(r);
            }
        }
        int adopted = 0;
        int released = 0;
        List<Conflict> conflicts = new ArrayList<>();
        Set<String> live = new HashSet<>();
        for (Map.Entry<ObjectRef, ServiceRequest> e : services.entrySet()) {
            live.add(key(e.getKey()));
            List<AllocationRecord> owned = byOwner.getOrDefault(key(e.getKey()), List.of()).stream()
                    .filter(RepairPass::serviceKind).toList();
            Result r = reconcile(e.getKey(), e.getValue(), owned, now, false);
            adopted += r.adopted();
            released += r.released();
            conflicts.addAll(r.conflicts());
        }
        for (Map.Entry<String, List<AllocationRecord>> e : byOwner.entrySet()) {
            if (!live.contains(e.getKey())) {
                for (AllocationRecord r : e.getValue()) {
                    if (old(r, now) && authority.release(r)) {
                        released++;
                    }
                }
            }
        }
        return new Result(adopted, released, conflicts);
    }

    private Result reconcile(ObjectRef owner, ServiceRequest service, List<AllocationRecord> owned, Instant now,
            boolean deleted) {
        int adopted = 0;
        int released = 0;
        List<Conflict> conflicts = new ArrayList<>();
        Set<String> held = new HashSet<>();
        if (service != null) {
            for (Grant g : ServiceAllocator.heldBy(service)) {
                String poolName = Grant.NODE_PORT.equals(g.kind()) ? AllocationNames.NODE_PORT_POOL
                        : AllocationNames.serviceRangePool(g.family());
                Optional<Pool> pool = authority.pool(poolName).filter(p -> p.contains(g.value()));
                if (pool.isEmpty()) {
                    continue; // outside our ranges (e.g. a range the cluster no longer serves)
                }
                String name = pool.get().recordName(g.value());
                held.add(name);
                Optional<AllocationRecord> rec = authority.store().get(name);
                if (rec.isEmpty()) {
                    pool.get().mark(g.value());
                    AllocationStore.Created c = authority.store().createIfAbsent(new AllocationRecord(name, g.kind(),
                            g.value(), g.family(), pool.get().name(), owner, null));
                    if (c.created()) {
                        authority.sinkCreated(c.record());
                        adopted++;
                    } else if (!c.record().ownedBy(owner)) {
                        conflicts.add(new Conflict(owner, g.value(), c.record().owner()));
                    }
                } else if (!rec.get().ownedBy(owner)) {
                    conflicts.add(new Conflict(owner, g.value(), rec.get().owner()));
                }
            }
        }
        for (AllocationRecord r : owned) {
            if (!held.contains(r.name()) && (deleted || old(r, now)) && authority.release(r)) {
                released++;
            }
        }
        return new Result(adopted, released, conflicts);
    }

    private boolean old(AllocationRecord r, Instant now) {
        return r.createdAt() == null || !r.createdAt().plus(grace).isAfter(now);
    }

    private static boolean serviceKind(AllocationRecord r) {
        return AllocationRecord.CLUSTER_IP.equals(r.kind()) || AllocationRecord.NODE_PORT.equals(r.kind());
    }

    private static String key(ObjectRef o) {
        return o.namespace() + "/" + o.name();
    }
}
