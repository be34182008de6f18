package io.netplane.ipam.kube;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.netplane.ipam.authority.LoadBalancerAssigner;
import io.netplane.ipam.authority.LoadBalancerPool;
import io.netplane.ipam.crd.IPAddressPool;
import io.netplane.ipam.crd.IPAddressPoolStatus;
import io.netplane.ipam.pools.AddressBlock;
import io.netplane.ipam.pools.PoolDefinition;
import io.netplane.ipam.pools.PoolValidation;
import io.netplane.ipam.pools.PoolVerdict;
import io.netplane.runtime.control.ControlLoop;
import io.netplane.runtime.events.Subject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Watches IPAddressPools for one term of leadership: validates them together ({@link #POOLS_KEY}), hands the valid
 * ones to the {@link LoadBalancerAssigner}, and keeps each pool's status ({@code Valid} and {@code Exhausted}
 * conditions, size, used) up to date ({@code pool/<name>}). Its keys run on the pools-and-nodes loop.
 */
public final class PoolController implements AutoCloseable {
    /** The loop's key of validating every pool together: any pool change queues it. */
    public static final String POOLS_KEY = "pools";
    public static final String KEY_PREFIX = "pool/";
    /** The reason of the Warning on a pool whose status could not be written, again and again. */
    public static final String STATUS_FAILED = "PoolStatusUpdateFailed";
    private final KubernetesClient client;
    private final LoadBalancerAssigner assigner;
    private final List<AddressBlock> reserved;
    private final ControlLoop loop;
    private final Clock clock;
    private final Runnable afterChange;
    private volatile SharedIndexInformer<IPAddressPool> informer;
    private volatile List<PoolVerdict> verdicts = List.of();

    public PoolController(KubernetesClient client, LoadBalancerAssigner assigner, List<AddressBlock> reserved,
            ControlLoop loop, Clock clock, Runnable afterChange) {
        this.client = client;
        this.assigner = assigner;
        this.reserved = reserved;
        this.loop = loop;
        this.clock = clock;
        this.afterChange = afterChange;
    }

    public void start() {
        // assigned before the first event: the validation reads the informer's store
        informer = client.resources(IPAddressPool.class).runnableInformer(0);
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(IPAddressPool p) {
                loop.add(POOLS_KEY);
            }

            @Override
            public void onUpdate(IPAddressPool a, IPAddressPool b) {
                if (!Objects.equals(a.getSpec() == null ? null : a.getMetadata().getGeneration(),
                        b.getMetadata().getGeneration())) {
                    loop.add(POOLS_KEY);
                }
            }

            @Override
            public void onDelete(IPAddressPool p, boolean unknown) {
                loop.add(POOLS_KEY);
            }
        });
        informer.run();
    }

    public boolean synced() {
        return informer != null && informer.hasSynced();
    }

    /** Reconciles {@link #POOLS_KEY} or {@code pool/<name>}; throws (a failed status write) for the loop to retry. */
    public void reconcile(String key) {
        if (POOLS_KEY.equals(key)) {
            revalidate();
        } else {
            writeStatus(key.substring(KEY_PREFIX.length()));
        }
    }

    /** The pool a key names, for the Event of a status write that keeps failing. */
    public Optional<Subject> subject(String key) {
        if (!key.startsWith(KEY_PREFIX) || informer == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(informer.getStore().getByKey(key.substring(KEY_PREFIX.length())))
                .map(Subject::of);
    }

    private void revalidate() {
        List<PoolDefinition> defs = informer.getStore().list().stream().map(PoolInputs::definition).toList();
        verdicts = PoolValidation.validate(defs, reserved);
        assigner.setPools(verdicts);
        refreshStatus();
        afterChange.run();
    }

    /** Queues every pool's status write (after validation, and when a pool ran out). */
    public void refreshStatus() {
        verdicts.forEach(v -> loop.add(KEY_PREFIX + v.pool().name()));
    }

    /** Writes the pool's status where it changed. */
    private void writeStatus(String name) {
        Optional<PoolVerdict> verdict = verdicts.stream().filter(v -> v.pool().name().equals(name)).findFirst();
        if (verdict.isEmpty()) {
            return; // deleted since, or not validated yet: the next validation queues it again
        }
        PoolVerdict v = verdict.get();
        long size = 0;
        long used = 0;
        for (LoadBalancerPool p : assigner.pools()) {
            if (p.verdict().pool().name().equals(name)) {
                size += p.size();
                used += p.used();
            }
        }
        List<Condition> conditions = new ArrayList<>();
        conditions.add(condition("Valid", v.valid(), v.valid() ? "Valid" : v.reason(),
                v.valid() ? "addresses are allocatable" : v.message()));
        boolean full = v.valid() && size > 0 && used >= size;
        conditions.add(condition("Exhausted", full, full ? "NoFreeAddresses" : "FreeAddresses",
                full ? "every address is allocated" : (size - used) + " of " + size + " addresses free"));
        write(name, conditions, size, used);
    }

    private void write(String name, List<Condition> conditions, long size, long used) {
        IPAddressPool current = informer.getStore().getByKey(name);
        if (current == null) {
            return;
        }
        IPAddressPoolStatus st = current.getStatus();
        if (st != null && Objects.equals(st.size, size) && Objects.equals(st.used, used) && st.conditions != null
                && same(st.conditions, conditions)) {
            return;
        }
        client.resources(IPAddressPool.class).withName(name).editStatus(p -> {
            IPAddressPoolStatus s = new IPAddressPoolStatus();
            s.size = size;
            s.used = used;
            s.conditions = conditions;
            p.setStatus(s);
            return p;
        });
    }

    private static boolean same(List<Condition> a, List<Condition> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            Condition x = a.get(i);
            Condition y = b.get(i);
            if (!Objects.equals(x.getType(), y.getType()) || !Objects.equals(x.getStatus(), y.getStatus())
                    || !Objects.equals(x.getReason(), y.getReason()) || !Objects.equals(x.getMessage(), y.getMessage())) {
                return false;
            }
        }
        return true;
    }

    private Condition condition(String type, boolean status, String reason, String message) {
        return new ConditionBuilder().withType(type).withStatus(status ? "True" : "False").withReason(reason)
                .withMessage(message).withLastTransitionTime(clock.instant().toString()).build();
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
    }
}
