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
import io.netplane.api.events.PodView;
import io.netplane.api.labels.LabelSelector;
import io.netplane.api.net.IpAddress;
import io.netplane.endpoints.config.EndpointsConfig;
import io.netplane.endpoints.config.Mode;
import io.netplane.endpoints.kube.ClusterInformers;
import io.netplane.endpoints.slicing.MirrorPlanner;
import io.netplane.endpoints.slicing.Slice;
import io.netplane.endpoints.slicing.SliceEvent;
import io.netplane.endpoints.slicing.SliceLabels;
import io.netplane.endpoints.slicing.SlicePlan;
import io.netplane.endpoints.slicing.SlicePlanner;
import io.netplane.endpoints.slicing.SliceService;
import io.netplane.endpoints.slicing.TopologyMode;
import io.netplane.endpoints.slicing.TriggerTimes;
import io.netplane.endpoints.slicing.ZoneCapacity;
import io.netplane.endpoints.stream.StreamsBootstrap.InformersSynced;
import io.netplane.endpoints.stream.StreamsBootstrap.Leading;
import io.netplane.endpoints.views.LegacyInputs;
import io.netplane.endpoints.views.NodeViews;
import io.netplane.endpoints.views.PodViews;
import io.netplane.endpoints.views.SliceInputs;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * The EndpointSlice controller ({@code manage} mode only): Service, Pod, Node and EndpointSlice events queue the
 * affected Services; a worker plans each one with {@link SlicePlanner} from the informer caches and writes the plan.
 * The slices it writes reach Kafka through the endpointslices stream, which publishes what the API server holds,
 * so every event follows the API write it reflects.
 */
@ApplicationScoped
public class SliceController {
    /** The {@code endpoints.kubernetes.io/managed-by} value of the legacy Endpoints objects this operator writes. */
    public static final String LEGACY_MANAGED_BY = "endpoints-operator.netplane.io";
    static final String BY_SERVICE = "netplane-by-service";
    static final String BY_NODE = "netplane-by-node";
    private static final Logger LOG = Logger.getLogger(SliceController.class);
    private static final long MAX_BACKOFF_MILLIS = 30_000;

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

    /**
     * Each Pod's view and its Ready condition's last transition time, replaced as one value: a sync that saw the new
     * view with the old time would publish the change without its trigger time, and never again with it.
     */
    private final Map<String, Member> pods = new ConcurrentHashMap<>();
    private final Map<String, NodeView> nodes = new ConcurrentHashMap<>();
    private final Map<String, TriggerTimes.State> triggerStates = new ConcurrentHashMap<>();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final WorkQueue queue = new WorkQueue();
    private final WriteTracker tracker = new WriteTracker();
    private final List<Thread> workers = new ArrayList<>();
    private volatile ZoneCapacity capacity = ZoneCapacity.NONE;
    /** False while another replica holds the Lease: nothing is written, not even Events. */
    private volatile boolean active;
    private EventRecorder events;
    private EndpointsWriter legacy;
    private Counter legacyWrites;
    private SlicePlanner.Settings settings;
    private final SlicePlanner.Settings mirrorSettings =
            new SlicePlanner.Settings(MirrorPlanner.DEFAULT_MAX_ENDPOINTS_PER_SLICE, MirrorPlanner.MANAGED_BY);
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
        if (workers.isEmpty()) {
            startWorkers();
        }
        // every term, the first included: a Lease lost before the first sync paused the queue before any worker ran
        resume();
    }

    /** Lost the Lease: workers take no more keys (a reconcile under way finishes); keys keep being queued. */
    void onLeading(@Observes Leading leading) {
        if (config.mode() == Mode.MANAGE && !leading.leading()) {
            active = false;
            queue.pause();
            LOG.info("EndpointSlice controller paused (not leading)");
        }
    }

    /** Leading over warm caches: what another leader wrote is in them; every Service is planned again. */
    private void resume() {
        tracker.clear();
        informers.services().getStore().list().forEach(s -> queue.add(Cache.metaNamespaceKeyFunc(s)));
        active = true;
        queue.resume();
        LOG.info("EndpointSlice controller leading: every Service queued");
    }

    void onStop(@Observes ShutdownEvent event) {
        queue.close();
        workers.forEach(Thread::interrupt);
    }

    /** API writes so far, by kind. */
    public long apiWrites() {
        return creates == null ? 0 : (long) (creates.count() + updates.count() + deletes.count());
    }

    public int queueDepth() {
        return queue.depth();
    }

    private void prepare() {
        events = new EventRecorder(client, clock);
        legacy = new EndpointsWriter(client, LEGACY_MANAGED_BY);
        legacyWrites = Counter.builder("netplane.endpoints.legacy.writes").register(meters);
        settings = new SlicePlanner.Settings(config.maxEndpointsPerSlice(), config.managedBy());
        creates = Counter.builder("netplane.endpoints.slice.writes").tag("op", "create").register(meters);
        updates = Counter.builder("netplane.endpoints.slice.writes").tag("op", "update").register(meters);
        deletes = Counter.builder("netplane.endpoints.slice.writes").tag("op", "delete").register(meters);
        reconcileTime = Timer.builder("netplane.endpoints.reconcile").register(meters);
        retries = Counter.builder("netplane.endpoints.reconcile.retries").register(meters);
        droppedTerminating = Counter.builder("netplane.endpoints.reconcile.dropped")
                .tag("reason", WriteFailures.NAMESPACE_TERMINATING).register(meters);
        informers.endpointSlices().addIndexers(Map.of(BY_SERVICE, s -> {
            String svc = s.getMetadata().getLabels() == null ? null
                    : s.getMetadata().getLabels().get(SliceLabels.SERVICE_NAME);
            return svc == null ? List.of() : List.of(s.getMetadata().getNamespace() + "/" + svc);
        }));
        informers.pods().addIndexers(Map.of(BY_NODE, p -> p.getSpec() == null || p.getSpec().getNodeName() == null
                ? List.of() : List.of(p.getSpec().getNodeName())));
        informers.services().addEventHandler(handler(s -> queue.add(Cache.metaNamespaceKeyFunc(s))));
        informers.endpointSlices().addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(EndpointSlice s) {
                onSlice(s, false);
            }

            @Override
            public void onUpdate(EndpointSlice before, EndpointSlice s) {
                onSlice(s, false);
            }

            @Override
            public void onDelete(EndpointSlice s, boolean finalStateUnknown) {
                onSlice(s, true);
            }
        });
        informers.pods().addEventHandler(new PodHandler());
        informers.nodes().addEventHandler(new NodeHandler());
        informers.endpoints().addEventHandler(handler(e -> queue.add(Cache.metaNamespaceKeyFunc(e))));
    }

    private void startWorkers() {
        for (int i = 0; i < Math.max(1, config.workers()); i++) {
            Thread t = new Thread(this::work, "slice-worker-" + i);
            t.setDaemon(true);
            t.start();
            workers.add(t);
        }
        LOG.infof("EndpointSlice controller started (max %d endpoints per slice)", settings.maxEndpointsPerSlice());
    }

    private void work() {
        while (true) {
            String key;
            try {
                key = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (key == null) {
                return;
            }
            try {
                reconcileTime.record(() -> reconcile(key));
                failures.remove(key);
            } catch (RuntimeException e) {
                failed(key, e);
            } finally {
                queue.done(key);
            }
        }
    }

    /** Retries a failed Service with exponential backoff, unless upstream's controllers would drop it. */
    private void failed(String key, RuntimeException e) {
        if (WriteFailures.isNamespaceTerminating(e)) {
            // every create in a namespace being deleted fails until the Service is gone with it
            LOG.debugf("Service %s: its namespace is terminating, not retried: %s", key, e.getMessage());
            failures.remove(key);
            droppedTerminating.increment();
            return;
        }
        retries.increment();
        int n = failures.merge(key, 1, Integer::sum);
        long delay = Math.min(MAX_BACKOFF_MILLIS, 100L << Math.min(n, 10));
        LOG.warnf("reconciling Service %s failed (attempt %d, retry in %d ms): %s", key, n, delay, e.getMessage());
        queue.addAfter(key, delay);
    }

    private void reconcile(String key) {
        List<EndpointSlice> all = informers.endpointSlices().getIndexer().byIndex(BY_SERVICE, key);
        List<EndpointSlice> cached = managedBy(all, settings.managedBy());
        List<EndpointSlice> mirrored = managedBy(all, MirrorPlanner.MANAGED_BY);
        if (tracker.isStale(key, all)) {
            queue.addAfter(key, 50);
            return;
        }
        Service service = informers.services().getStore().getByKey(key);
        if (service == null) {
            // Normally the garbage collector removes them through the owner reference; do it where none runs.
            cached.forEach(s -> delete(key, s.getMetadata().getNamespace(), s.getMetadata().getName()));
            mirrored.forEach(s -> delete(key, s.getMetadata().getNamespace(), s.getMetadata().getName()));
            tracker.forget(key);
            triggerStates.remove(key);
            String[] nsName = key.split("/", 2);
            legacyWrites.increment(legacy.deleteIfOurs(nsName[0], nsName[1],
                    informers.endpoints().getStore().getByKey(key)));
            return;
        }
        SliceService svc = SliceInputs.service(service);
        if (svc.selector() == null && !svc.externalName()) {
            mirror(key, svc, mirrored);
            return;
        }
        // a Service that gained a selector, or is of type ExternalName, is not mirrored
        mirrored.forEach(s -> delete(key, s.getMetadata().getNamespace(), s.getMetadata().getName()));
        List<PodView> candidates = new ArrayList<>();
        Map<String, Instant> readySince = new HashMap<>();
        for (Pod p : informers.pods().getIndexer().byIndex(Cache.NAMESPACE_INDEX, svc.namespace())) {
            Member m = pods.get(Cache.metaNamespaceKeyFunc(p));
            if (m != null) {
                candidates.add(m.view());
                if (m.readySince() != null) {
                    readySince.put(m.view().name(), m.readySince());
                }
            }
        }
        List<Slice> existing = cached.stream().map(SliceInputs::slice).toList();
        SlicePlan plan = SlicePlanner.plan(svc, candidates, nodes, capacity, existing, settings);
        TriggerTimes.Result trigger = triggerTime(key, service, candidates, readySince, plan.waitingForNode());
        apply(key, svc, cached, plan, "Service", svc.name(),
                s -> SliceInputs.withTriggerTime(s, trigger.triggerTime()));
        // kept only once the slices are written: a write that fails is retried with the same trigger time
        triggerStates.put(key, trigger.next());
        Endpoints current = informers.endpoints().getStore().getByKey(key);
        legacyWrites.increment(svc.externalName() ? legacy.deleteIfOurs(svc.namespace(), svc.name(), current)
                : legacy.sync(svc, candidates, current));
        plan.events().forEach(e -> events.record(e, svc.uid()));
        if (plan.retry()) {
            queue.addAfter(key, 5_000);
        }
    }

    /** EndpointSlice mirroring for a Service without a selector. */
    private void mirror(String key, SliceService svc, List<EndpointSlice> mirrored) {
        Endpoints endpoints = informers.endpoints().getStore().getByKey(key);
        var labels = endpoints == null || endpoints.getMetadata().getLabels() == null ? Map.<String, String>of()
                : endpoints.getMetadata().getLabels();
        boolean mirrorable = endpoints != null && !"true".equals(labels.get(MirrorPlanner.SKIP_MIRROR_LABEL))
                && !LEGACY_MANAGED_BY.equals(labels.get(EndpointsWriter.MANAGED_BY_LABEL));
        String uid = endpoints == null ? "" : endpoints.getMetadata().getUid();
        Map<String, String> sliceLabels = new HashMap<>(labels);
        sliceLabels.remove(MirrorPlanner.SKIP_MIRROR_LABEL);
        SliceService owner = SliceService.mirrorOf(svc.namespace(), svc.name(), uid, sliceLabels);
        List<Slice> existing = mirrored.stream().map(s -> SliceInputs.slice(s, "Endpoints")).toList();
        SlicePlan plan = MirrorPlanner.plan(owner, mirrorable ? LegacyInputs.from(endpoints) : null, existing,
                mirrorSettings);
        apply(key, owner, mirrored, plan, "Endpoints", svc.name(), UnaryOperator.identity());
        plan.events().forEach(e -> events.record(e, uid));
    }

    /**
     * The trigger time of this sync of a Service with a selector, and the state to keep for the next one. A Pod left
     * out until its Node is seen is not in that state yet: the sync that publishes it carries its change's time.
     */
    private TriggerTimes.Result triggerTime(String key, Service service, List<PodView> candidates,
            Map<String, Instant> readySince, Set<String> waiting) {
        LabelSelector selector = LabelSelector.of(service.getSpec().getSelector() == null ? Map.of()
                : service.getSpec().getSelector());
        Map<String, Instant> ready = new HashMap<>();
        for (PodView p : candidates) {
            Instant since = readySince.get(p.name());
            if (since != null && !waiting.contains(p.name()) && selector.matches(p.labels())) {
                ready.put(p.name(), since);
            }
        }
        String created = service.getMetadata().getCreationTimestamp();
        TriggerTimes.Result r = TriggerTimes.compute(triggerStates.get(key),
                created == null ? null : java.time.OffsetDateTime.parse(created).toInstant(), ready);
        return r;
    }

    private void apply(String key, SliceService svc, List<EndpointSlice> cached, SlicePlan plan, String ownerKind,
            String ownerName, UnaryOperator<EndpointSlice> annotate) {
        var api = client.discovery().v1().endpointSlices().inNamespace(svc.namespace());
        for (Slice s : plan.updates()) {
            EndpointSlice current = cached.stream().filter(c -> c.getMetadata().getName().equals(s.name()))
                    .findFirst().orElseThrow();
            tracker.written(key, api.resource(annotate.apply(SliceInputs.toUpdate(current, s))).update());
            updates.increment();
        }
        for (Slice s : plan.creates()) {
            tracker.written(key, api.resource(annotate.apply(SliceInputs.toNew(svc, s, ownerKind, ownerName)))
                    .create());
            creates.increment();
        }
        for (Slice s : plan.deletes()) {
            delete(key, svc.namespace(), s.name());
        }
    }

    private void delete(String key, String namespace, String name) {
        try {
            client.discovery().v1().endpointSlices().inNamespace(namespace).withName(name).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
        tracker.deleted(key, name);
        deletes.increment();
    }

    private static List<EndpointSlice> managedBy(List<EndpointSlice> slices, String managedBy) {
        return slices.stream().filter(s -> SliceLabels.isManagedBy(s.getMetadata().getLabels(), managedBy)).toList();
    }

    private void onSlice(EndpointSlice s, boolean deleted) {
        var labels = s.getMetadata().getLabels();
        if ((SliceLabels.isManagedBy(labels, settings.managedBy())
                || SliceLabels.isManagedBy(labels, MirrorPlanner.MANAGED_BY))
                && labels.get(SliceLabels.SERVICE_NAME) != null) {
            String key = s.getMetadata().getNamespace() + "/" + labels.get(SliceLabels.SERVICE_NAME);
            if (deleted) {
                tracker.observedDeletion(key, s.getMetadata().getName());
            }
            queue.add(key);
        }
    }

    /** Services in the namespace whose selector matches any of the label sets. */
    private void enqueueServicesSelecting(String namespace, List<Map<String, String>> labelSets) {
        for (Service s : informers.services().getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace)) {
            Map<String, String> selector = s.getSpec() == null ? null : s.getSpec().getSelector();
            if (selector == null || selector.isEmpty()) {
                continue;
            }
            LabelSelector sel = LabelSelector.of(selector);
            if (labelSets.stream().anyMatch(l -> sel.matches(l == null ? Map.of() : l))) {
                queue.add(Cache.metaNamespaceKeyFunc(s));
            }
        }
    }

    private final class PodHandler implements ResourceEventHandler<Pod> {
        @Override
        public void onAdd(Pod pod) {
            pods.put(Cache.metaNamespaceKeyFunc(pod), Member.of(pod));
            reportInvalidIPs(pod);
            enqueueServicesSelecting(pod.getMetadata().getNamespace(), List.of(labels(pod)));
        }

        @Override
        public void onUpdate(Pod old, Pod pod) {
            if (Objects.equals(old.getMetadata().getResourceVersion(), pod.getMetadata().getResourceVersion())) {
                return;
            }
            Member now = Member.of(pod);
            Member before = pods.put(Cache.metaNamespaceKeyFunc(pod), now);
            if (before != null && sameForEndpoints(before.view(), now.view())) {
                return;
            }
            reportInvalidIPs(pod);
            enqueueServicesSelecting(pod.getMetadata().getNamespace(), List.of(labels(old), labels(pod)));
        }

        @Override
        public void onDelete(Pod pod, boolean unknownFinalState) {
            pods.remove(Cache.metaNamespaceKeyFunc(pod));
            enqueueServicesSelecting(pod.getMetadata().getNamespace(), List.of(labels(pod)));
        }

        private Map<String, String> labels(Pod p) {
            return p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels();
        }

        private void reportInvalidIPs(Pod pod) {
            if (pod.getStatus() == null || !active) {
                return;
            }
            List<String> raw = PodViews.rawIPs(pod.getStatus());
            List<String> invalid = raw.stream().filter(ip -> !IpAddress.isValid(ip)).toList();
            if (!invalid.isEmpty()) {
                events.record(SliceEvent.warning("InvalidPodIP", "Pod IP " + String.join(", ", invalid)
                        + " is not a valid IP address; it is left out of every EndpointSlice", "Pod",
                        pod.getMetadata().getNamespace(), pod.getMetadata().getName()), pod.getMetadata().getUid());
            }
        }
    }

    private record Member(PodView view, Instant readySince) {
        static Member of(Pod pod) {
            return new Member(PodViews.from(pod, null), PodViews.readySince(pod.getStatus()));
        }
    }

    /** Only what changes a Pod's endpoints (upstream podEndpointsChanged) or its Service membership. */
    private static boolean sameForEndpoints(PodView a, PodView b) {
        return a.ready() == b.ready() && a.terminating() == b.terminating() && a.podIPs().equals(b.podIPs())
                && Objects.equals(a.phase(), b.phase()) && a.labels().equals(b.labels())
                && Objects.equals(a.hostname(), b.hostname()) && Objects.equals(a.subdomain(), b.subdomain())
                && Objects.equals(a.nodeName(), b.nodeName()) && a.containerPorts().equals(b.containerPorts());
    }

    private final class NodeHandler implements ResourceEventHandler<Node> {
        @Override
        public void onAdd(Node node) {
            changed(null, NodeViews.from(node, null));
        }

        @Override
        public void onUpdate(Node old, Node node) {
            changed(nodes.get(node.getMetadata().getName()), NodeViews.from(node, null));
        }

        @Override
        public void onDelete(Node node, boolean unknownFinalState) {
            NodeView before = nodes.remove(node.getMetadata().getName());
            recomputeCapacity();
            servicesWithPodsOn(node.getMetadata().getName());
            if (before == null) {
                LOG.debugf("deleted Node %s was not known", node.getMetadata().getName());
            }
        }

        private void changed(NodeView before, NodeView after) {
            nodes.put(after.name(), after);
            boolean placement = before == null || !Objects.equals(before.zone(), after.zone());
            boolean capacityInput = placement || before.ready() != after.ready()
                    || before.allocatableCpuMillis() != after.allocatableCpuMillis()
                    || !before.labels().equals(after.labels());
            if (capacityInput) {
                recomputeCapacity();
            }
            if (placement) {
                servicesWithPodsOn(after.name());
            }
        }
    }

    private void recomputeCapacity() {
        ZoneCapacity next = ZoneCapacity.of(nodes.values());
        if (next.equals(capacity)) {
            return;
        }
        capacity = next;
        for (Service s : informers.services().getStore().list()) {
            var annotations = s.getMetadata().getAnnotations();
            if (TopologyMode.isAuto(annotations)) {
                queue.add(Cache.metaNamespaceKeyFunc(s));
            }
        }
    }

    private void servicesWithPodsOn(String nodeName) {
        Map<String, Set<Map<String, String>>> labelsByNamespace = new ConcurrentHashMap<>();
        for (Pod p : informers.pods().getIndexer().byIndex(BY_NODE, nodeName)) {
            labelsByNamespace.computeIfAbsent(p.getMetadata().getNamespace(), n -> new HashSet<>())
                    .add(p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels());
        }
        labelsByNamespace.forEach((ns, sets) -> enqueueServicesSelecting(ns, List.copyOf(sets)));
    }

    private static <T> ResourceEventHandler<T> handler(Consumer<T> onAny) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                onAny.accept(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                onAny.accept(newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                onAny.accept(obj);
            }
        };
    }
}
