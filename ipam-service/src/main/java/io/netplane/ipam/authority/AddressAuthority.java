package io.netplane.ipam.authority;

import io.netplane.api.events.ObjectRef;
import io.netplane.api.net.Cidr;
import io.netplane.api.net.IpAddress;
import io.netplane.ipam.family.FieldError;
import io.netplane.ipam.plan.Grant;
import io.netplane.ipam.plan.ServiceAllocator;
import io.netplane.ipam.plan.ServicePlan;
import io.netplane.ipam.plan.ServiceRequest;
import io.netplane.ipam.range.AllocationException;
import io.netplane.ipam.records.AllocationNames;
import io.netplane.ipam.records.AllocationRecord;
import io.netplane.ipam.store.AllocationStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * The one place values are handed out. Candidates come from the in-memory allocators (fast, banded, random); a value
 * is only granted once its record was created in the durable map, which is atomic by name, so replicas racing for the
 * same value cannot both win: the loser keeps the value marked as taken and tries another (or, for a requested value,
 * reports it already allocated). The memory follows the durable map through the store's watch.
 */
public final class AddressAuthority implements AllocationStore.Listener {
    static final int MAX_ATTEMPTS = 8;
    private static final Logger LOG = Logger.getLogger(AddressAuthority.class);

    private final ServiceAllocator services;
    private final AllocationStore store;
    private final AllocationSink sink;
    private final Map<String, Pool> pools = new ConcurrentHashMap<>();
    private final Object externalLock = new Object();
    private final Predicate<ObjectRef> ownerGone;

    public AddressAuthority(ServiceAllocator services, AllocationStore store, AllocationSink sink) {
        this(services, store, sink, owner -> false);
    }

    /**
     * @param ownerGone whether the owner of a record no longer exists in the API (asked only for a value a request
     *        names and another owner holds): the API server frees a Service's values as it deletes it, so a value
     *        whose Service is gone but whose delete this replica has not processed yet is free to take
     */
    public AddressAuthority(ServiceAllocator services, AllocationStore store, AllocationSink sink,
            Predicate<ObjectRef> ownerGone) {
        this.services = services;
        this.store = store;
        this.sink = sink;
        this.ownerGone = ownerGone;
        for (var family : services.families().families()) {
            register(new ServiceIpPool(services.ranges(family)));
        }
        register(new NodePortPool(services.nodePorts()));
        store.watch(this);
    }

    public void register(Pool pool) {
        pools.put(pool.name(), pool);
        store.list().stream().filter(r -> pool.name().equals(r.pool()) || pool.contains(r.value()))
                .forEach(r -> pool.mark(r.value()));
    }

    public void unregister(String name) {
        pools.remove(name);
    }

    public Optional<Pool> pool(String name) {
        return Optional.ofNullable(pools.get(name));
    }

    public ServiceAllocator services() {
        return services;
    }

    public AllocationStore store() {
        return store;
    }

    /** Marks every stored record in memory (startup, and a repair pass). */
    /**
     * The cluster's ServiceCIDR objects changed: their addresses become allocatable (see
     * {@link ServiceAllocator#serviceCidrs}), and addresses already granted inside a new one are marked taken again.
     */
    public void serviceCidrs(java.util.List<io.netplane.api.net.Cidr> cidrs) {
        services.serviceCidrs(cidrs);
        resync();
    }

    public void resync() {
        store.list().forEach(this::added);
    }

    @Override
    public void added(AllocationRecord r) {
        poolOf(r).ifPresent(p -> p.mark(r.value()));
    }

    @Override
    public void deleted(AllocationRecord r) {
        poolOf(r).ifPresent(p -> p.release(r.value()));
    }

    private Optional<Pool> poolOf(AllocationRecord r) {
        Pool p = r.pool() == null ? null : pools.get(r.pool());
        if (p != null) {
            return Optional.of(p);
        }
        return pools.values().stream().filter(c -> c.contains(r.value())).findFirst();
    }

    /** Admission of a Service create ({@code old == null}) or update: plans, then persists every grant. */
    public ServicePlan admit(ServiceRequest request, ServiceRequest old, ObjectRef owner) {
        if (old == null) {
            reclaimOwn(request, owner);
        }
        reclaimFromGone(request, owner);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            ServicePlan plan = old == null ? services.create(request) : services.update(request, old);
            if (!plan.ok()) {
                return plan;
            }
            List<AllocationRecord> created = new ArrayList<>();
            Grant conflict = null;
            for (Grant g : plan.grants()) {
                Pool pool = poolOf(g);
                AllocationRecord mine = new AllocationRecord(pool.recordName(g.value()), g.kind(), g.value(),
                        g.family(), pool.name(), owner, null);
                AllocationStore.Created c = store.createIfAbsent(mine);
                if (c.created()) {
                    created.add(c.record());
                } else if (!c.record().ownedBy(owner) || !c.record().value().equals(g.value())) {
                    conflict = g;
                    LOG.debugf("%s for %s/%s lost to %s", g.value(), owner.namespace(), owner.name(), c.record().owner());
                    break;
                }
            }
            if (conflict == null) {
                created.forEach(sink::created);
                return plan;
            }
            created.forEach(r -> store.delete(r.name()));
            Grant taken = conflict;
            services.release(plan.grants().stream().filter(g -> !g.equals(taken)).toList());
            if (taken.requested()) {
                String what = Grant.NODE_PORT.equals(taken.kind()) ? "port" : "IP";
                String detail = Grant.NODE_PORT.equals(taken.kind()) ? "provided port is already allocated"
                        : "failed to allocate IP " + taken.value() + ": provided IP is already allocated";
                LOG.debugf("requested %s %s already allocated elsewhere", what, taken.value());
                return new ServicePlan(request, List.of(), List.of(),
                        List.of(FieldError.invalid(taken.path(), taken.value(), detail)));
            }
        }
        return new ServicePlan(request, List.of(), List.of(), List.of(new FieldError("spec.clusterIPs",
                "InternalError", null, "gave up after " + MAX_ATTEMPTS + " allocation conflicts")));
    }

    /**
     * A Service re-created under the same name (delete + create, {@code kubectl replace --force}) may request the
     * values its previous incarnation held before the delete was processed: those records are already this owner's,
     * so the values are freed in memory for the plan to take again, and the persist step finds the records its own.
     */
    private void reclaimOwn(ServiceRequest request, ObjectRef owner) {
        for (Grant g : ServiceAllocator.heldBy(request)) {
            Pool pool = poolOf(g);
            if (pool != null && pool.contains(g.value())) {
                store.get(pool.recordName(g.value())).filter(r -> r.ownedBy(owner))
                        .ifPresent(r -> pool.release(g.value()));
            }
        }
    }

    /** Releases the values the request names whose records belong to a Service that no longer exists. */
    private void reclaimFromGone(ServiceRequest request, ObjectRef owner) {
        for (Grant g : ServiceAllocator.heldBy(request)) {
            Pool pool = poolOf(g);
            if (pool != null && pool.contains(g.value())) {
                store.get(pool.recordName(g.value()))
                        .filter(r -> !r.ownedBy(owner) && r.owner() != null && "Service".equals(r.owner().kind()))
                        .filter(r -> ownerGone.test(r.owner()))
                        .ifPresent(r -> {
                            LOG.debugf("%s %s: its Service %s/%s is gone; released for %s/%s", g.kind(), g.value(),
                                    r.owner().namespace(), r.owner().name(), owner.namespace(), owner.name());
                            release(r);
                        });
            }
        }
    }

    /**
     * Claims {@code value} (or the next free value when null) of {@code pool} for {@code owner}. Idempotent: when the
     * owner already holds the value, that record is returned.
     */
    public AllocationRecord claim(Pool pool, String value, String kind, ObjectRef owner) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            String v;
            try {
                v = pool.allocate(value);
            } catch (AllocationException e) {
                if (value != null && e.reason() == AllocationException.Reason.ALREADY_ALLOCATED) {
                    Optional<AllocationRecord> held = store.get(pool.recordName(value)).filter(r -> r.ownedBy(owner));
                    if (held.isPresent()) {
                        return held.get();
                    }
                }
                throw e;
            }
            AllocationRecord mine = new AllocationRecord(pool.recordName(v), kind, v, pool.family(), pool.name(),
                    owner, null);
            AllocationStore.Created c = store.createIfAbsent(mine);
            if (c.created()) {
                sink.created(c.record());
                return c.record();
            }
            if (c.record().ownedBy(owner)) {
                return c.record();
            }
            if (value != null) {
                throw new AllocationException(AllocationException.Reason.ALREADY_ALLOCATED,
                        "provided value " + v + " is already allocated to " + describe(c.record().owner()));
            }
        }
        throw new AllocationException(AllocationException.Reason.FULL,
                "gave up after " + MAX_ATTEMPTS + " allocation conflicts in " + pool.name());
    }

    /** Publishes a record created outside {@link #claim} (adoption by the repair loop). */
    void sinkCreated(AllocationRecord record) {
        sink.created(record);
    }

    /** Deletes a record and frees its value. */
    public boolean release(AllocationRecord record) {
        boolean deleted = store.delete(record.name());
        poolOf(record).ifPresent(p -> p.release(record.value()));
        if (deleted) {
            sink.deleted(record);
        }
        return deleted;
    }

    /** Idempotent allocation for a consumer outside Kubernetes, keyed by its request key. */
    public AllocationRecord allocateExternal(String requestKey, String poolName, String value) {
        if (requestKey == null || requestKey.isBlank() || requestKey.length() > 253) {
            throw new RequestRejected(422, "requestKey", "requestKey is required (1-253 characters)");
        }
        Pool pool = pools.get(poolName);
        if (pool == null) {
            throw new RequestRejected(422, "pool", "unknown pool \"" + poolName + "\"; known: " + pools.keySet());
        }
        ObjectRef owner = AllocationNames.external(requestKey);
        synchronized (externalLock) {
            Optional<AllocationRecord> existing = ownedBy(owner).stream().findFirst();
            if (existing.isPresent()) {
                AllocationRecord r = existing.get();
                if (!r.pool().equals(poolName) || (value != null && !canonical(value).equals(r.value()))) {
                    throw new RequestRejected(409, "requestKey", "request key \"" + requestKey + "\" already holds "
                            + r.value() + " from " + r.pool());
                }
                return r;
            }
            if (value != null && !pool.contains(value)) {
                throw new RequestRejected(422, "value", "\"" + value + "\" is not in pool " + poolName + " ("
                        + pool.range() + ")");
            }
            try {
                return claim(pool, value == null ? null : canonical(value), AllocationRecord.EXTERNAL, owner);
            } catch (AllocationException e) {
                int status = e.reason() == AllocationException.Reason.FULL ? 409 : 422;
                throw new RequestRejected(status, "value", e.getMessage());
            }
        }
    }

    public boolean releaseExternal(String requestKey) {
        synchronized (externalLock) {
            List<AllocationRecord> held = ownedBy(AllocationNames.external(requestKey));
            held.forEach(this::release);
            return !held.isEmpty();
        }
    }

    public List<AllocationRecord> ownedBy(ObjectRef owner) {
        return store.ownedBy(owner);
    }

    /** Who holds an address, a port number, or a CIDR. */
    public Optional<AllocationRecord> holderOf(String value) {
        if (value == null || value.isBlank()) {
            throw new RequestRejected(400, "value", "a value is required");
        }
        String name;
        if (value.chars().allMatch(Character::isDigit) && value.length() <= 5) {
            name = AllocationNames.nodePort(Integer.parseInt(value));
        } else if (value.contains("/")) {
            try {
                name = AllocationNames.podCidr(Cidr.parseStrict(value));
            } catch (IllegalArgumentException e) {
                throw new RequestRejected(400, "value", e.getMessage());
            }
        } else if (IpAddress.isValid(value)) {
            name = AllocationNames.address(IpAddress.parse(value));
        } else {
            throw new RequestRejected(400, "value", "\"" + value + "\" is not an IP address, port or CIDR");
        }
        return store.get(name);
    }

    public List<PoolUsage> usage() {
        return pools.values().stream().map(PoolUsage::of)
                .sorted(java.util.Comparator.comparing(PoolUsage::name)).toList();
    }

    private Pool poolOf(Grant g) {
        String name = Grant.NODE_PORT.equals(g.kind()) ? AllocationNames.NODE_PORT_POOL
                : AllocationNames.serviceRangePool(g.family());
        return pools.get(name);
    }

    private static String canonical(String value) {
        return IpAddress.isValid(value) ? IpAddress.canonical(value) : value;
    }

    static String describe(ObjectRef o) {
        return o == null ? "unknown" : o.kind() + " " + (o.namespace() == null ? "" : o.namespace() + "/") + o.name();
    }
}
