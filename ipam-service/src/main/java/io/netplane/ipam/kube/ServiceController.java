package io.netplane.ipam.kube;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.netplane.api.events.ObjectRef;
import io.netplane.api.report.Problem;
import io.netplane.ipam.authority.AddressAuthority;
import io.netplane.ipam.authority.RepairPass;
import io.netplane.ipam.plan.ServiceRequest;
import io.netplane.runtime.control.ControlLoop;
import io.netplane.runtime.control.QueueingHandler;
import io.netplane.runtime.events.EventRecorder;
import io.netplane.runtime.events.Subject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Watches Services for one term of leadership: each change queues the Service's key on the services loop, whose
 * reconcile repairs that Service's records (adopt what the API server allocated by itself, release what it let go,
 * report conflicts as Events) and hands it to the {@link LoadBalancerStep}; the periodic full pass
 * ({@link #REPAIR_KEY}, same loop) releases records of Services that are gone.
 */
public final class ServiceController implements AutoCloseable {
    /** The loop's key of the full repair pass: no Service key lacks a slash. */
    public static final String REPAIR_KEY = "repair-pass";
    static final String CONFLICT = "AllocationConflict";
    private static final Logger LOG = Logger.getLogger(ServiceController.class);
    private final KubernetesClient client;
    private final RepairPass repair;
    private final EventRecorder events;
    private final Clock clock;
    private final LoadBalancerStep loadBalancers;
    private final ControlLoop loop;
    /**
     * The owner (with uid) of each Service whose delete event was seen and not yet reconciled: the reconcile that finds
     * the store empty, or holding a new Service of the same name, releases what the deleted one held.
     */
    private final Map<String, ObjectRef> deleted = new ConcurrentHashMap<>();
    private volatile SharedIndexInformer<Service> informer;

    public ServiceController(KubernetesClient client, AddressAuthority authority, Duration grace, EventRecorder events,
            Clock clock, LoadBalancerStep loadBalancers, ControlLoop loop) {
        this.client = client;
        this.repair = new RepairPass(authority, grace);
        this.events = events;
        this.clock = clock;
        this.loadBalancers = loadBalancers;
        this.loop = loop;
    }

    public void start() {
        // assigned before the first event, whose reconcile reads the store
        informer = client.services().inAnyNamespace().runnableInformer(0);
        informer.addEventHandler(QueueingHandler.<Service>ownKey(loop)
                .onDelete(svc -> deleted.put(Cache.metaNamespaceKeyFunc(svc), ServiceInputs.owner(svc))));
        informer.run();
    }

    /** Queues every LoadBalancer Service again (the pools changed). */
    public void requeueLoadBalancers() {
        SharedIndexInformer<Service> i = informer;
        if (i == null) {
            return;
        }
        i.getStore().list().stream().filter(s -> s.getSpec() != null && "LoadBalancer".equals(s.getSpec().getType()))
                .forEach(s -> loop.add(Cache.metaNamespaceKeyFunc(s)));
    }

    public boolean synced() {
        return informer != null && informer.hasSynced();
    }

    /** Reconciles the Service {@code namespace/name}; throws for the loop to retry. */
    public void reconcile(String key) {
        Service svc = informer == null ? null : informer.getStore().getByKey(key);
        ObjectRef gone = deleted.get(key);
        if (gone != null && (svc == null || !Objects.equals(gone.uid(), svc.getMetadata().getUid()))) {
            released(gone);
        }
        if (gone != null) {
            deleted.remove(key, gone);
        }
        if (svc != null) {
            changed(svc);
        }
    }

    /** The Service a key names, for the Event of a reconcile that keeps failing. */
    public Optional<Subject> subject(String key) {
        Service svc = informer == null ? null : informer.getStore().getByKey(key);
        if (svc != null) {
            return Optional.of(Subject.of(svc));
        }
        return Optional.ofNullable(deleted.get(key)).map(ServiceController::subject);
    }

    private void changed(Service svc) {
        RepairPass.Result r = repair.service(ServiceInputs.owner(svc), ServiceInputs.request(svc), clock.instant());
        List<Problem> problems = new ArrayList<>(conflicts(r));
        problems.addAll(loadBalancers.sync(svc));
        events.report(Subject.of(svc), problems);
    }

    private void released(ObjectRef owner) {
        repair.service(owner, null, clock.instant());
        loadBalancers.released(owner);
        events.forget(subject(owner));
    }

    /** One full repair pass over every Service (listed from the API server, not the cache). */
    public RepairPass.Result repairAll() {
        Map<ObjectRef, ServiceRequest> all = new HashMap<>();
        Map<ObjectRef, Service> byRef = new HashMap<>();
        for (Service s : client.services().inAnyNamespace().list().getItems()) {
            all.put(ServiceInputs.owner(s), ServiceInputs.request(s));
            byRef.put(ServiceInputs.owner(s), s);
        }
        RepairPass.Result r = repair.all(all, clock.instant());
        r.conflicts().forEach(c -> events.record(Subject.of(byRef.get(c.service())),
                Problem.warning(CONFLICT, c.message())));
        LOG.debugf("repair pass: %d services, adopted %d, released %d, %d conflicts", all.size(), r.adopted(),
                r.released(), r.conflicts().size());
        return r;
    }

    private static List<Problem> conflicts(RepairPass.Result r) {
        return r.conflicts().stream().map(c -> Problem.warning(CONFLICT, c.message())).toList();
    }

    private static Subject subject(ObjectRef owner) {
        return new Subject("v1", "Service", owner.namespace(), owner.name(), owner.uid());
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
    }
}
