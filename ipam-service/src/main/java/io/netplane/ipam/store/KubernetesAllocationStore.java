package io.netplane.ipam.store;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.netplane.api.events.ObjectRef;
import io.netplane.ipam.crd.Allocation;
import io.netplane.ipam.crd.AllocationSpec;
import io.netplane.ipam.records.AllocationNames;
import io.netplane.ipam.records.AllocationRecord;
import io.netplane.runtime.kube.Informers;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Allocation records as {@code Allocation} objects in the API server. Create is the atomic claim (409 AlreadyExists
 * means someone else holds the value); reads come from an informer cache, except the read after a lost claim.
 */
public final class KubernetesAllocationStore implements AllocationStore, AutoCloseable {
    private static final String OWNER_INDEX = "owner";
    private final KubernetesClient client;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile SharedIndexInformer<Allocation> informer;

    public KubernetesAllocationStore(KubernetesClient client) {
        this.client = client;
    }

    private synchronized SharedIndexInformer<Allocation> informer() {
        if (informer == null) {
            SharedIndexInformer<Allocation> inf = client.resources(Allocation.class).runnableInformer(0);
            inf.addIndexers(Map.of(OWNER_INDEX, a -> List.of(AllocationStore.ownerKey(toRecord(a).owner()))));
            inf.addEventHandler(new ResourceEventHandler<>() {
                @Override
                public void onAdd(Allocation obj) {
                    AllocationRecord r = toRecord(obj);
                    listeners.forEach(l -> l.added(r));
                }

                @Override
                public void onUpdate(Allocation oldObj, Allocation newObj) {
                }

                @Override
                public void onDelete(Allocation obj, boolean deletedFinalStateUnknown) {
                    AllocationRecord r = toRecord(obj);
                    listeners.forEach(l -> l.deleted(r));
                }
            });
            // a first list that fails (API server slow or just started) is retried, not fatal to the process
            Informers.startRetrying(List.of(inf)).join();
            informer = inf;
        }
        return informer;
    }

    @Override
    public Created createIfAbsent(AllocationRecord r) {
        try {
            Allocation created = client.resources(Allocation.class).resource(toResource(r)).create();
            return new Created(toRecord(created), true);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            Allocation existing = client.resources(Allocation.class).withName(r.name()).get();
            if (existing == null) {
                // deleted between our create and get: the caller retries with a fresh candidate
                return new Created(new AllocationRecord(r.name(), r.kind(), r.value(), r.family(), r.pool(),
                        new ObjectRef("Unknown", null, "deleted-concurrently", null), null), false);
            }
            return new Created(toRecord(existing), false);
        }
    }

    @Override
    public boolean delete(String name) {
        return !client.resources(Allocation.class).withName(name).delete().isEmpty();
    }

    @Override
    public Optional<AllocationRecord> get(String name) {
        Allocation a = informer().getStore().getByKey(name);
        if (a == null) {
            a = client.resources(Allocation.class).withName(name).get();
        }
        return Optional.ofNullable(a).map(KubernetesAllocationStore::toRecord);
    }

    @Override
    public List<AllocationRecord> list() {
        return informer().getStore().list().stream().map(KubernetesAllocationStore::toRecord).toList();
    }

    @Override
    public List<AllocationRecord> ownedBy(ObjectRef owner) {
        return informer().getIndexer().byIndex(OWNER_INDEX, AllocationStore.ownerKey(owner)).stream()
                .map(KubernetesAllocationStore::toRecord).toList();
    }

    @Override
    public void watch(Listener listener) {
        listeners.add(listener);
        informer();
    }

    @Override
    public synchronized void close() {
        if (informer != null) {
            informer.close();
        }
    }

    static Allocation toResource(AllocationRecord r) {
        Allocation a = new Allocation();
        ObjectMeta meta = new ObjectMeta();
        meta.setName(r.name());
        Map<String, String> labels = new HashMap<>();
        labels.put(AllocationNames.MANAGED_BY_LABEL, AllocationNames.MANAGED_BY);
        labels.put(AllocationNames.KIND_LABEL, r.kind());
        if (r.owner() != null) {
            putLabel(labels, AllocationNames.OWNER_NAMESPACE_LABEL, r.owner().namespace());
            putLabel(labels, AllocationNames.OWNER_NAME_LABEL, r.owner().name());
        }
        meta.setLabels(labels);
        a.setMetadata(meta);
        AllocationSpec spec = new AllocationSpec();
        spec.kind = r.kind();
        spec.value = r.value();
        spec.family = r.family();
        spec.pool = r.pool();
        if (r.owner() != null) {
            spec.owner = new AllocationSpec.OwnerRef();
            spec.owner.kind = r.owner().kind();
            spec.owner.namespace = r.owner().namespace();
            spec.owner.name = r.owner().name();
            spec.owner.uid = r.owner().uid();
        }
        a.setSpec(spec);
        return a;
    }

    static AllocationRecord toRecord(Allocation a) {
        AllocationSpec s = a.getSpec() == null ? new AllocationSpec() : a.getSpec();
        ObjectRef owner = s.owner == null ? null
                : new ObjectRef(s.owner.kind, s.owner.namespace, s.owner.name, s.owner.uid);
        String ts = a.getMetadata().getCreationTimestamp();
        return new AllocationRecord(a.getMetadata().getName(), s.kind, s.value, s.family, s.pool, owner,
                ts == null ? null : Instant.parse(ts), a.getMetadata().getResourceVersion());
    }

    private static void putLabel(Map<String, String> labels, String key, String value) {
        if (value != null && value.length() <= 63 && value.matches("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")) {
            labels.put(key, value);
        }
    }
}
