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
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Clock clock;

    public MemoryAllocationStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Created createIfAbsent(AllocationRecord record) {
        AllocationRecord stamped = new AllocationRecord(record.name(), record.kind(), record.value(), record.family(),
                record.pool(), record.owner(), clock.instant());
        AllocationRecord existing = records.putIfAbsent(record.name(), stamped);
        if (existing != null) {
            return new Created(existing, false);
        }
        listeners.forEach(l -> l.added(stamped));
        return new Created(stamped, true);
    }

    @Override
    public boolean delete(String name) {
        AllocationRecord gone = records.remove(name);
        if (gone != null) {
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
    public void watch(Listener listener) {
        listeners.add(listener);
    }
}
