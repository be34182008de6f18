package io.netplane.ipam.store;

import io.netplane.ipam.records.AllocationRecord;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** An in-process store (tests, benchmarks, running without Kubernetes): atomic by name through putIfAbsent. */
public final class MemoryAllocationStore implements AllocationStore {
    private final ConcurrentMap<String, AllocationRecord> records = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, java.util.Set<String>> byOwner = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Clock clock;
    private final java.util.concurrent.atomic.AtomicLong versions = new java.util.concurrent.atomic.AtomicLong();

    public MemoryAllocationStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Created createIfAbsent(AllocationRecord record) {
        AllocationRecord stamped = new AllocationRecord(record.name(), record.kind(), record.value(), record.family(),
                record.pool(), record.owner(), clock.instant(), Long.toString(versions.incrementAndGet()));
        AllocationRecord existing = records.putIfAbsent(record.name(), stamped);
        if (existing != null) {
            return new Created(existing, false);
        }
        byOwner.computeIfAbsent(AllocationStore.ownerKey(stamped.owner()), k -> ConcurrentHashMap.newKeySet())
                .add(stamped.name());
        listeners.forEach(l -> l.added(stamped));
        return new Created(stamped, true);
    }

    @Override
    public boolean delete(String name) {
        AllocationRecord gone = records.remove(name);
        if (gone != null) {
            java.util.Set<String> names = byOwner.get(AllocationStore.ownerKey(gone.owner()));
            if (names != null) {
                names.remove(name);
            }
            listeners.forEach(l -> l.deleted(gone));
        }
        return gone != null;
    }

    @Override
    public Optional<AllocationRecord> get(String name) {
        return Optional.ofNullable(records.get(name));
    }

    @Override
    public List<AllocationRecord> list() {
        return new ArrayList<>(records.values());
    }

    @Override
    public List<AllocationRecord> ownedBy(io.netplane.api.events.ObjectRef owner) {
        java.util.Set<String> names = byOwner.get(AllocationStore.ownerKey(owner));
        if (names == null) {
            return List.of();
        }
        return names.stream().map(records::get).filter(java.util.Objects::nonNull).toList();
    }

    @Override
    public void watch(Listener listener) {
        listeners.add(listener);
    }
}
