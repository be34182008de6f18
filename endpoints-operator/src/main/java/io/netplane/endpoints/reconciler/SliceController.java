package io.netplane.endpoints.reconciler;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netplane.api.events.NodeView;
import io.netplane.api.report.Problem;
import io.netplane.endpoints.config.EndpointsConfig;
import io.netplane.endpoints.config.Mode;
import io.netplane.endpoints.kube.ClusterInformers;
import io.netplane.endpoints.planning.ServicePlan;
import io.netplane.endpoints.planning.ServicePlanner;
import io.netplane.endpoints.planning.ServiceState;
import io.netplane.endpoints.slicing.MirrorPlanner;
import io.netplane.endpoints.slicing.Slice;
import io.netplane.endpoints.slicing.SliceLabels;
import io.netplane.endpoints.slicing.SlicePlan;
import io.netplane.endpoints.slicing.SlicePlanner;
import io.netplane.endpoints.slicing.SlicePod;
import io.netplane.endpoints.slicing.SliceService;
import io.netplane.endpoints.slicing.TriggerTimes;
import io.netplane.endpoints.slicing.ZoneCapacity;
import io.netplane.endpoints.stream.StreamsBootstrap.InformersSynced;
import io.netplane.endpoints.stream.StreamsBootstrap.Leading;
import io.netplane.endpoints.views.LegacyInputs;
import io.netplane.endpoints.views.NodeInputs;
import io.netplane.endpoints.views.PodInputs;
import io.netplane.endpoints.views.SliceInputs;
import io.netplane.runtime.control.ControlLoop;
import io.netplane.runtime.control.ControlLoop.Result;
import io.netplane.runtime.control.QueueingHandler;
import io.netplane.runtime.events.EventRecorder;
import io.netplane.runtime.events.Subject;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * The EndpointSlice controller ({@code manage} mode only), on the shared {@link ControlLoop}: Service, Pod, Node,
 * EndpointSlice and Endpoints events queue the affected Services ({@link AffectedServices}); a reconcile reads the
 * Service's state from the caches, has {@link ServicePlanner} decide it, writes the plan and records its problems as
 * Events. The slices it writes reach Kafka through the endpointslices stream, which publishes what the API server
 * holds, so every event follows the API write it reflects.
 */
@ApplicationScoped
public class SliceController {
    static final String BY_SERVICE = "netplane-by-service";
    static final String LOOP = "endpointslices";
    static final String COMPONENT = "endpoints-operator";
    /** Upstream's EndpointSlice controller's reason for a Service whose slices keep failing to be written. */
    static final String FAILED_TO_UPDATE = "FailedToUpdateEndpointSlices";
    static final int WARN_FROM_ATTEMPT = 3;
    private static final Duration BACKOFF_BASE = Duration.ofMillis(200);
    private static final Duration BACKOFF_MAX = Duration.ofSeconds(30);
    private static final Duration STALE_CACHE_RECHECK = Duration.ofMillis(50);
    private static final Duration MISSING_NODE_RECHECK = Duration.ofSeconds(5);
    private static final Logger LOG = Logger.getLogger(SliceController.class);

    @Inject
    KubernetesClient client;
    @Inject
    ClusterInformers informers;
    @Inject
    EndpointsConfig config;
    @Inject
    Clock clock;
    @Inject
    MeterRegistry meters;

    private final PodIndex pods = new PodIndex();
    private final AffectedServices affected = new AffectedServices(pods);
    private final Map<String, NodeView> nodes = new ConcurrentHashMap<>();
    private final Map<String, TriggerTimes.State> triggerStates = new ConcurrentHashMap<>();
    private final WriteTracker tracker = new WriteTracker();
    private volatile ZoneCapacity capacity = ZoneCapacity.NONE;
    /** False while another replica holds the Lease: nothing is written, not even Events. */
    private volatile boolean active;
    private volatile ControlLoop loop;
    private EventRecorder events;
    private EndpointsWriter legacy;
    private SlicePlanner.Settings settings;
    private Counter legacyWrites;
    private Counter creates;
    private Counter updates;
    private Counter deletes;
    private Timer reconcileTime;
    private Counter retries;
    private Counter droppedTerminating;

    void onInformers(@Observes InformersSynced phase) {
        if (config.mode() != Mode.MANAGE) {
            return;
        }
        if (!phase.synced()) {
            prepare();
            return;
        }
        if (!loop.started()) {
            loop.start();
            LOG.infof("EndpointSlice controller started (max %d endpoints per slice)",
                    settings.maxEndpointsPerSlice());
        }
        // every term, the first included: a Lease lost before the first sync paused the loop before any worker ran
        resume();
    }

    /** Lost the Lease: the loop hands out no more keys (a reconcile under way finishes); keys keep being queued. */
    void onLeading(@Observes Leading leading) {
        if (config.mode() == Mode.MANAGE && !leading.leading()) {
            active = false;
            if (loop != null) {
                loop.pause();
            }
            LOG.info("EndpointSlice controller paused (not leading)");
        }
    }

    /** Leading over warm caches: what another leader wrote is in them; every Service is planned again. */
    private void resume() {
        tracker.clear();
        loop.addAll(informers.services().getStore().list().stream().map(Cache::metaNamespaceKeyFunc).toList());
        active = true;
        loop.resume();
        LOG.info("EndpointSlice controller leading: every Service queued");
    }

    void onStop(@Observes ShutdownEvent event) {
        if (loop != null) {
            loop.close();
        }
    }

    /** API writes so far, by kind. */
    public long apiWrites() {
        return creates == null ? 0 : (long) (creates.count() + updates.count() + deletes.count());
    }

    public int queueDepth() {
        return loop == null ? 0 : loop.depth();
    }

    private void prepare() {
        events = new EventRecorder(client, COMPONENT, System.getenv("HOSTNAME"), clock);
        legacy = new EndpointsWriter(client);
        settings = new SlicePlanner.Settings(config.maxEndpointsPerSlice(), config.managedBy());
        legacyWrites = Counter.builder("netplane.endpoints.legacy.writes").register(meters);
        creates = Counter.builder("netplane.endpoints.slice.writes").tag("op", "create").register(meters);
        updates = Counter.builder("netplane.endpoints.slice.writes").tag("op", "update").register(meters);
        deletes = Counter.builder("netplane.endpoints.slice.writes").tag("op", "delete").register(meters);
        reconcileTime = Timer.builder("netplane.endpoints.reconcile").register(meters);
        retries = Counter.builder("netplane.endpoints.reconcile.retries").register(meters);
        droppedTerminating = Counter.builder("netplane.endpoints.reconcile.dropped")
                .tag("reason", WriteFailures.NAMESPACE_TERMINATING).register(meters);
        ControlLoop.FailureListener warn = events.warnAfter(WARN_FROM_ATTEMPT, FAILED_TO_UPDATE, this::serviceSubject);
        loop = ControlLoop.builder(LOOP, this::reconcile)
                .workers(Math.max(1, config.workers()))
                .backoff(BACKOFF_BASE, BACKOFF_MAX)
                .meters(meters)
                .onFailure((key, attempts, error) -> {
                    retries.increment();
                    warn.failed(key, attempts, error);
                })
                .startPaused()
                .build();
        informers.endpointSlices().addIndexers(Map.of(BY_SERVICE, s -> {
            String svc = s.getMetadata().getLabels() == null ? null
                    : s.getMetadata().getLabels().get(SliceLabels.SERVICE_NAME);
            return svc == null ? List.of() : List.of(s.getMetadata().getNamespace() + "/" + svc);
        }));
        informers.services().addEventHandler(new ServiceHandler());
        informers.endpointSlices().addEventHandler(new SliceHandler());
        informers.pods().addEventHandler(new PodHandler());
        informers.nodes().addEventHandler(new NodeHandler());
        informers.endpoints().addEventHandler(QueueingHandler.ownKey(loop));
    }

    /** One reconcile; a write refused because the namespace is terminating is dropped, as upstream does. */
    private Result reconcile(String key) {
        try {
            return reconcileTime.record(() -> sync(key));
        } catch (RuntimeException e) {
            if (WriteFailures.isNamespaceTerminating(e)) {
                // every create in a namespace being deleted fails until the Service is gone with it
                LOG.debugf("Service %s: its namespace is terminating, not retried: %s", key, e.getMessage());
                droppedTerminating.increment();
                return Result.DONE;
            }
            throw e;
        }
    }

    /** Read, plan, apply. */
    private Result sync(String key) {
        List<EndpointSlice> all = informers.endpointSlices().getIndexer().byIndex(BY_SERVICE, key);
        if (tracker.isStale(key, all)) {
            return Result.requeueAfter(STALE_CACHE_RECHECK);
        }
        String[] nsName = key.split("/", 2);
        List<EndpointSlice> managed = managedBy(all, settings.managedBy());
        List<EndpointSlice> mirrored = managedBy(all, MirrorPlanner.MANAGED_BY);
        Service service = informers.services().getStore().getByKey(key);
        SliceService svc = service == null ? null : SliceInputs.service(service);
        Endpoints endpoints = informers.endpoints().getStore().getByKey(key);
        if (svc == null || svc.externalName()) {
            endpoints = legacy.current(nsName[0], nsName[1], endpoints);
        }
        ServiceState state = new ServiceState(nsName[0], nsName[1], svc, created(service),
                pods.inNamespace(nsName[0]), nodes, capacity,
                managed.stream().map(SliceInputs::slice).toList(),
                mirrored.stream().map(s -> SliceInputs.slice(s, "Endpoints")).toList(),
                endpoints == null ? null : LegacyInputs.from(endpoints),
                endpoints == null ? null : endpoints.getMetadata().getUid(),
                triggerStates.get(key));
        ServicePlan plan = ServicePlanner.plan(state, settings);
        apply(key, state, plan, managed, mirrored, endpoints);
        return plan.retry() ? Result.requeueAfter(MISSING_NODE_RECHECK) : Result.DONE;
    }

    private void apply(String key, ServiceState state, ServicePlan plan, List<EndpointSlice> managed,
            List<EndpointSlice> mirrored, Endpoints endpoints) {
        write(key, state.namespace(), plan.mirrorOwner(), mirrored, plan.mirrored(), "Endpoints",
                UnaryOperator.identity());
        Instant triggerTime = plan.trigger() == null ? null : plan.trigger().triggerTime();
        write(key, state.namespace(), state.service(), managed, plan.slices(), "Service",
                s -> SliceInputs.withTriggerTime(s, triggerTime));
        switch (plan.kind()) {
            // kept only once the slices are written: a write that fails is retried with the same trigger time
            case MANAGE -> triggerStates.put(key, plan.trigger().next());
            case GONE -> {
                tracker.forget(key);
                triggerStates.remove(key);
            }
            case MIRROR -> {
            }
        }
        legacyWrites.increment(legacy.apply(state.namespace(), state.name(), plan.endpoints(), endpoints));
        report(state, plan);
    }

    private void write(String key, String namespace, SliceService owner, List<EndpointSlice> cached, SlicePlan plan,
            String ownerKind, UnaryOperator<EndpointSlice> annotate) {
        var api = client.discovery().v1().endpointSlices().inNamespace(namespace);
        for (Slice s : plan.updates()) {
            EndpointSlice current = cached.stream().filter(c -> c.getMetadata().getName().equals(s.name()))
                    .findFirst().orElseThrow();
            tracker.written(key, api.resource(annotate.apply(SliceInputs.toUpdate(current, s))).update());
            updates.increment();
        }
        for (Slice s : plan.creates()) {
            tracker.written(key, api.resource(annotate.apply(SliceInputs.toNew(owner, s, ownerKind, owner.name())))
                    .create());
            creates.increment();
        }
        for (Slice s : plan.deletes()) {
            try {
                api.withName(s.name()).delete();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
            }
            tracker.deleted(key, s.name());
            deletes.increment();
        }
    }

    /** The plan's problems are the Service's (and its Endpoints object's) current ones; a gone Service has none. */
    private void report(ServiceState state, ServicePlan plan) {
        Subject service = new Subject("v1", "Service", state.namespace(), state.name(),
                state.service() == null ? null : state.service().uid());
        Subject endpoints = new Subject("v1", "Endpoints", state.namespace(), state.name(), state.endpointsUid());
        if (plan.kind() == ServicePlan.Kind.GONE) {
            events.forget(service);
            events.forget(endpoints);
            return;
        }
        events.report(service, problemsOn(plan, "Service"));
        if (state.endpointsUid() != null) {
            events.report(endpoints, problemsOn(plan, "Endpoints"));
        }
    }

    private static List<Problem> problemsOn(ServicePlan plan, String kind) {
        return plan.events().stream().filter(e -> kind.equals(e.kind())).map(e -> e.problem()).toList();
    }

    /** The Service of a key, as the cache has it, for a Warning on a reconcile that keeps failing. */
    private Optional<Subject> serviceSubject(String key) {
        return Optional.ofNullable(informers.services().getStore().getByKey(key))
                .map(s -> new Subject("v1", "Service", s.getMetadata().getNamespace(), s.getMetadata().getName(),
                        s.getMetadata().getUid()));
    }

    private static Instant created(Service service) {
        String created = service == null ? null : service.getMetadata().getCreationTimestamp();
        return created == null ? null : OffsetDateTime.parse(created).toInstant();
    }

    private static List<EndpointSlice> managedBy(List<EndpointSlice> slices, String managedBy) {
        return slices.stream().filter(s -> SliceLabels.isManagedBy(s.getMetadata().getLabels(), managedBy)).toList();
    }

    private void enqueue(Collection<String> keys) {
        loop.addAll(keys);
    }

    private final class ServiceHandler implements ResourceEventHandler<Service> {
        @Override
        public void onAdd(Service s) {
            affected.put(SliceInputs.service(s));
            loop.add(Cache.metaNamespaceKeyFunc(s));
        }

        @Override
        public void onUpdate(Service before, Service s) {
            onAdd(s);
        }

        @Override
        public void onDelete(Service s, boolean finalStateUnknown) {
            affected.remove(s.getMetadata().getNamespace(), s.getMetadata().getName());
            loop.add(Cache.metaNamespaceKeyFunc(s));
        }
    }

    private final class SliceHandler implements ResourceEventHandler<EndpointSlice> {
        @Override
        public void onAdd(EndpointSlice s) {
            changed(s, false);
        }

        @Override
        public void onUpdate(EndpointSlice before, EndpointSlice s) {
            changed(s, false);
        }

        @Override
        public void onDelete(EndpointSlice s, boolean finalStateUnknown) {
            changed(s, true);
        }

        private void changed(EndpointSlice s, boolean deleted) {
            AffectedServices.ofSlice(s.getMetadata().getNamespace(), s.getMetadata().getLabels(),
                    List.of(settings.managedBy(), MirrorPlanner.MANAGED_BY)).ifPresent(key -> {
                        if (deleted) {
                            tracker.observedDeletion(key, s.getMetadata().getName());
                        }
                        loop.add(key);
                    });
        }
    }

    /** Converts each Pod once per event into the {@link PodIndex}; the reconcile reads only that. */
    private final class PodHandler implements ResourceEventHandler<Pod> {
        @Override
        public void onAdd(Pod pod) {
            SlicePod now = PodInputs.slicePod(pod);
            pods.put(now);
            reportInvalidIPs(pod);
            enqueue(affected.selecting(now.view().namespace(), List.of(now.view().labels())));
        }

        @Override
        public void onUpdate(Pod old, Pod pod) {
            if (Objects.equals(old.getMetadata().getResourceVersion(), pod.getMetadata().getResourceVersion())) {
                return;
            }
            SlicePod now = PodInputs.slicePod(pod);
            SlicePod before = pods.put(now);
            if (before != null && !AffectedServices.changesEndpoints(before.view(), now.view())) {
                return;
            }
            reportInvalidIPs(pod);
            enqueue(affected.selecting(now.view().namespace(), List.of(labels(old), now.view().labels())));
        }

        @Override
        public void onDelete(Pod pod, boolean unknownFinalState) {
            pods.remove(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
            enqueue(affected.selecting(pod.getMetadata().getNamespace(), List.of(labels(pod))));
        }

        private Map<String, String> labels(Pod p) {
            return p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels();
        }

        private void reportInvalidIPs(Pod pod) {
            if (active) {
                PodInputs.invalidIPs(pod).ifPresent(p -> events.record(new Subject("v1", "Pod",
                        pod.getMetadata().getNamespace(), pod.getMetadata().getName(), pod.getMetadata().getUid()), p));
            }
        }
    }

    private final class NodeHandler implements ResourceEventHandler<Node> {
        @Override
        public void onAdd(Node node) {
            changed(null, NodeInputs.from(node, null));
        }

        @Override
        public void onUpdate(Node old, Node node) {
            changed(nodes.get(node.getMetadata().getName()), NodeInputs.from(node, null));
        }

        @Override
        public void onDelete(Node node, boolean unknownFinalState) {
            NodeView before = nodes.remove(node.getMetadata().getName());
            recomputeCapacity();
            enqueue(affected.withPodsOn(node.getMetadata().getName()));
            if (before == null) {
                LOG.debugf("deleted Node %s was not known", node.getMetadata().getName());
            }
        }

        private void changed(NodeView before, NodeView after) {
            nodes.put(after.name(), after);
            if (AffectedServices.changesCapacity(before, after)) {
                recomputeCapacity();
            }
            if (AffectedServices.movesEndpoints(before, after)) {
                enqueue(affected.withPodsOn(after.name()));
            }
        }
    }

    private void recomputeCapacity() {
        ZoneCapacity next = ZoneCapacity.of(nodes.values());
        if (!next.equals(capacity)) {
            capacity = next;
            enqueue(affected.usingTopologyHints());
        }
    }
}
