package io.netplane.ipam.kube;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.netplane.api.events.ObjectRef;
import io.netplane.ipam.authority.AddressAuthority;
import io.netplane.ipam.authority.RepairPass;
import io.netplane.ipam.plan.ServiceRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Watches Services: each change repairs that Service's records (adopt what the API server allocated by itself,
 * release what it let go, report conflicts as Events) and hands it to the LoadBalancer step; a periodic full pass
 * releases records of Services that are gone. All work runs on one thread, off the informer's.
 */
public final class ServiceController implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ServiceController.class);
    private final KubernetesClient client;
    private final AddressAuthority authority;
    private final RepairPass repair;
    private final EventRecorder events;
    private final Clock clock;
    private final Consumer<Service> afterRepair;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(
            r -> new Thread(r, "ipam-service-controller"));
    private SharedIndexInformer<Service> informer;

    public ServiceController(KubernetesClient client, AddressAuthority authority, Duration grace, EventRecorder events,
            Clock clock, Consumer<Service> afterRepair) {
        this.client = client;
        this.authority = authority;
        this.repair = new RepairPass(authority, grace);
        this.events = events;
        this.clock = clock;
        this.afterRepair = afterRepair;
    }

    public void start(Duration interval) {
        informer = client.services().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Service svc) {
                submit(() -> changed(svc));
            }

            @Override
            public void onUpdate(Service oldSvc, Service svc) {
                submit(() -> changed(svc));
            }

            @Override
            public void onDelete(Service svc, boolean unknown) {
                submit(() -> deleted(svc));
            }
        }, 0);
        worker.scheduleWithFixedDelay(this::fullPass, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Re-runs the LoadBalancer step for every LoadBalancer Service (pools changed). */
    public void requeueLoadBalancers() {
        if (informer == null) {
            return;
        }
        informer.getStore().list().stream().filter(s -> "LoadBalancer".equals(s.getSpec().getType()))
                .forEach(s -> submit(() -> afterRepair.accept(s)));
    }

    public boolean synced() {
        return informer != null && informer.hasSynced();
    }

    /** Runs a full repair pass now (on the worker) and waits for it. */
    public RepairPass.Result repairNow() throws Exception {
        return worker.submit(this::fullPassResult).get();
    }

    private void submit(Runnable r) {
        ExecutorService w = worker;
        w.execute(() -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.warnf(e, "service reconcile failed");
            }
        });
    }

    private void changed(Service svc) {
        RepairPass.Result r = repair.service(ServiceCut.owner(svc), ServiceCut.request(svc), clock.instant());
        report(svc, r);
        afterRepair.accept(svc);
    }

    private void deleted(Service svc) {
        repair.service(ServiceCut.owner(svc), null, clock.instant());
        afterRepair.accept(null == svc ? null : withDeletion(svc));
    }

    private static Service withDeletion(Service svc) {
        if (svc.getMetadata().getDeletionTimestamp() == null) {
            svc.getMetadata().setDeletionTimestamp("1970-01-01T00:00:00Z");
        }
        return svc;
    }

    private void fullPass() {
        try {
            fullPassResult();
        } catch (RuntimeException e) {
            LOG.warnf(e, "repair pass failed");
        }
    }

    private RepairPass.Result fullPassResult() {
        Map<ObjectRef, ServiceRequest> all = new HashMap<>();
        Map<ObjectRef, Service> byRef = new HashMap<>();
        for (Service s : client.services().inAnyNamespace().list().getItems()) {
            all.put(ServiceCut.owner(s), ServiceCut.request(s));
            byRef.put(ServiceCut.owner(s), s);
        }
        RepairPass.Result r = repair.all(all, clock.instant());
        r.conflicts().forEach(c -> events.warning(byRef.get(c.service()), "AllocationConflict", c.message()));
        LOG.debugf("repair pass: %d services, adopted %d, released %d, %d conflicts", all.size(), r.adopted(),
                r.released(), r.conflicts().size());
        return r;
    }

    private void report(Service svc, RepairPass.Result r) {
        r.conflicts().forEach(c -> events.warning(svc, "AllocationConflict", c.message()));
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
        worker.shutdownNow();
    }
}
