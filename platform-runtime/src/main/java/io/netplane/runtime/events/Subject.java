package io.netplane.runtime.events;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** The object an Event is about: what its {@code involvedObject} names. */
public record Subject(String apiVersion, String kind, String namespace, String name, String uid) {
    public static Subject of(HasMetadata object) {
        var meta = object.getMetadata();
        return new Subject(object.getApiVersion(), object.getKind(), meta.getNamespace(), meta.getName(),
                meta.getUid());
    }

    /** {@code namespace/name}, or the name of a cluster-scoped object. */
    public String key() {
        return namespace == null ? name : namespace + "/" + name;
    }

    /** Where its Events live: its namespace, or {@code default} for a cluster-scoped object, as kubectl looks. */
    String eventNamespace() {
        return namespace == null || namespace.isEmpty() ? "default" : namespace;
    }
}
