package io.netplane.ipam.store;

import io.netplane.ipam.records.AllocationRecord;
import java.util.List;
import java.util.Optional;

/** The durable allocation map: one record per value, keyed by name; creation is atomic by name. */
public interface AllocationStore {

    /**
     * Creates {@code record} unless a record of that name exists, and returns the record stored under the name
     * afterwards: {@code record} itself (with its creation time, {@code created} true) if this call won, the existing
     * one otherwise.
     */
    Created createIfAbsent(AllocationRecord record);

    /** The record under the name after a create, and whether this call created it. */
    record Created(AllocationRecord record, boolean created) {
    }

    /** Deletes the record; false when there was none. */
    boolean delete(String name);

    Optional<AllocationRecord> get(String name);

    List<AllocationRecord> list();

    /** The records held by {@code owner} (kind, namespace and name compared; uid ignored). */
    default List<AllocationRecord> ownedBy(io.netplane.api.events.ObjectRef owner) {
        return list().stream().filter(r -> r.ownedBy(owner)).toList();
    }

    /** The index key of an owner. */
    static String ownerKey(io.netplane.api.events.ObjectRef owner) {
        return owner == null ? "" : owner.kind() + "/" + (owner.namespace() == null ? "" : owner.namespace()) + "/"
                + owner.name();
    }

    /** Calls {@code listener} for records created or deleted by anyone (other replicas included). */
    void watch(Listener listener);

    interface Listener {
        void added(AllocationRecord record);

        void deleted(AllocationRecord record);
    }
}
