package io.netplane.ipam.kube;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.netplane.api.labels.LabelSelector;
import io.netplane.ipam.authority.LoadBalancerAssigner;
import io.netplane.ipam.authority.LoadBalancerPool;
import io.netplane.ipam.crd.IPAddressPool;
import io.netplane.ipam.crd.IPAddressPoolStatus;
import io.netplane.ipam.pools.AddressBlock;
import io.netplane.ipam.pools.PoolDefinition;
import io.netplane.ipam.pools.PoolValidation;
import io.netplane.ipam.pools.PoolVerdict;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * Watches IPAddressPools: validates them together, hands the valid ones to the {@link LoadBalancerAssigner}, and
 * keeps each pool's status ({@code Valid} and {@code Exhausted} conditions, size, used) up to date.
 */
public final class PoolController implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PoolController.class);
    private final KubernetesClient client;
    private final LoadBalancerAssigner assigner;
    private final List<AddressBlock> reserved;
    private final Executor worker;
    private final Clock clock;
    private final Runnable afterChange;
    private volatile SharedIndexInformer<IPAddressPool> informer;
    private List<PoolVerdict> verdicts = List.of();

    public PoolController(KubernetesClient client, LoadBalancerAssigner assigner, List<AddressBlock> reserved,
            Executor worker, Clock clock, Runnable afterChange) {
        this.client = client;
        this.assigner = assigner;
        this.reserved = reserved;
        this.worker = worker;
        this.clock = clock;
        this.afterChange = afterChange;
    }

    public void start() {
        // assigned before the first event: revalidate() reads the informer's store, and inform() would deliver the
        // initial list (and so run the first validation) while the field was still null
        informer = client.resources(IPAddressPool.class).runnableInformer(0);
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(IPAddressPool p) {
                worker.execute(PoolController.this::revalidate);
            }

            @Override
            public void onUpdate(IPAddressPool a, IPAddressPool b) {
                if (!Objects.equals(a.getSpec() == null ? null : a.getMetadata().getGeneration(),
                        b.getMetadata().getGeneration())) {
                    worker.execute(PoolController.this::revalidate);
                }
            }

            @Override
            public void onDelete(IPAddressPool p, boolean unknown) {
                worker.execute(PoolController.this::revalidate);
            }
        });
        informer.run();
    }

    public boolean synced() {
        return informer != null && informer.hasSynced();
    }

    private void revalidate() {
        try {
            List<PoolDefinition> defs = informer.getStore().list().stream().map(PoolController::cut).toList();
            verdicts = PoolValidation.validate(defs, reserved);
            assigner.setPools(verdicts);
            refreshStatus();
            afterChange.run();
        } catch (RuntimeException e) {
            LOG.warnf(e, "pool validation failed");
        }
    }

    /** Writes every pool's status where it changed (after validation, and when a pool ran out). */
    public void refreshStatus() {
        for (PoolVerdict v : verdicts) {
            long size = 0;
            long used = 0;
            for (LoadBalancerPool p : assigner.pools()) {
                if (p.verdict().pool().name().equals(v.pool().name())) {
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
            write(v.pool().name(), conditions, size, used);
        }
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
        try {
            client.resources(IPAddressPool.class).withName(name).editStatus(p -> {
                IPAddressPoolStatus s = new IPAddressPoolStatus();
                s.size = size;
                s.used = used;
                s.conditions = conditions;
                p.setStatus(s);
                return p;
            });
        } catch (KubernetesClientException e) {
            LOG.warnf("could not write status of pool %s: %s", name, e.getMessage());
        }
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

    static PoolDefinition cut(IPAddressPool p) {
        var spec = p.getSpec();
        String name = p.getMetadata().getName();
        String created = p.getMetadata().getCreationTimestamp();
        if (spec == null) {
            return new PoolDefinition(name, created, List.of(), null, null);
        }
        try {
            return new PoolDefinition(name, created, spec.addresses, selector(spec.serviceSelector),
                    selector(spec.namespaceSelector));
        } catch (IllegalArgumentException e) {
            return new PoolDefinition(name, created, spec.addresses, null, null, "selector: " + e.getMessage());
        }
    }

    static LabelSelector selector(io.fabric8.kubernetes.api.model.LabelSelector s) {
        if (s == null) {
            return null;
        }
        List<LabelSelector.Requirement> reqs = s.getMatchExpressions() == null ? List.of()
                : s.getMatchExpressions().stream().map(e -> new LabelSelector.Requirement(e.getKey(),
                        LabelSelector.Operator.parse(e.getOperator()), e.getValues())).toList();
        return new LabelSelector(s.getMatchLabels() == null ? Map.of() : s.getMatchLabels(), reqs);
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
    }
}
