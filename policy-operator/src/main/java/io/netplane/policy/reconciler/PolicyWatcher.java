package io.netplane.policy.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netplane.api.report.Problem;
import io.netplane.policy.compiler.CompileDelta;
import io.netplane.policy.compiler.PolicyCompiler;
import io.netplane.policy.config.PolicyOperatorConfig;
import io.netplane.policy.kafka.PolicyPublisher;
import io.netplane.policy.kafka.PublishedKeys;
import io.netplane.runtime.control.ControlLoop;
import io.netplane.runtime.control.ControlLoop.Result;
import io.netplane.runtime.control.QueueingHandler;
import io.netplane.runtime.events.EventRecorder;
import io.netplane.runtime.events.Subject;
import io.netplane.runtime.kube.Informers;
import io.netplane.runtime.leader.LeaderGate;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Watches Namespaces, Pods and NetworkPolicies with informers whose handlers only queue keys ({@code ns/<name>},
 * {@code pod/<ns>/<name>}, {@code policy/<ns>/<name>}) on the control loop {@value #LOOP}; its one worker (the compiler
 * is single-threaded) reads each key's object from the informer's store and upserts it into the compiler, or deletes
 * it when the store has none, and publishes a compile flush ({@value #FLUSH}, queued {@code batch-delay} after the
 * first change of a burst). Every replica compiles (the explain API and a warm standby), so the loop never pauses;
 * only the holder of the Lease publishes and records Events. At the start of each term it waits for the informers to
 * list and queues {@value #INITIAL_PUBLISH}, which publishes the whole state and tombstones keys left on the topics by
 * objects deleted while it was down or not leading.
 */
@ApplicationScoped
public class PolicyWatcher {
    static final String LOOP = "policy-compiler";
    static final String COMPONENT = "policy-operator.netplane.io";
    /** The loop's well-known keys; no object key lacks a slash. */
    static final String FLUSH = "flush";
    static final String INITIAL_PUBLISH = "initial-publish";
    static final String REPUBLISH = "republish";
    private static final Duration REPUBLISH_AFTER = Duration.ofSeconds(5);
    private static final Logger LOG = Logger.getLogger(PolicyWatcher.class);

    /** What a delete event said of an object, for the reconcile that finds the store without it. */
    private record Gone(String uid, String resourceVersion) {
    }

    private final KubernetesClient client;
    private final PolicyState state;
    private final PolicyPublisher publisher;
    private final EventRecorder events;
    private final PolicyOperatorConfig config;
    private final String bootstrapServers;
    private final Timer flushTimer;
    private final Clock clock = Clock.systemUTC();
    private final MeterRegistry registry;
    private final ControlLoop loop;
    private final Map<String, Gone> deleted = new ConcurrentHashMap<>();
    private List<SharedIndexInformer<? extends HasMetadata>> informers = List.of();
    private SharedIndexInformer<Namespace> namespaceInformer;
    private SharedIndexInformer<Pod> podInformer;
    private SharedIndexInformer<NetworkPolicy> policyInformer;
    private final CompletableFuture<Void> listed = new CompletableFuture<>();
    /** The keys on the topics at the start of the current term (empty: they could not be read), until published. */
    private final AtomicReference<Optional<PublishedKeys>> termStart = new AtomicReference<>();
    private LeaderGate gate;
    /** A flush is queued or due. Loop only. */
    private boolean flushScheduled;
    /** Compiled changes were dropped while not leading: the next term publishes the whole state. Loop only. */
    private boolean discarded;
    /** Publishes and records Events: holds the Lease (or leader election is off). */
    private volatile boolean leading;
    /** This term's whole state is published and its stale keys tombstoned. */
    private volatile boolean ready;

    public PolicyWatcher(KubernetesClient client, PolicyState state, PolicyPublisher publisher,
            PolicyOperatorConfig config, MeterRegistry registry, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.client = client;
        this.state = state;
        this.publisher = publisher;
        this.config = config;
        this.bootstrapServers = bootstrapServers;
        this.registry = registry;
        this.events = new EventRecorder(client, COMPONENT, System.getenv("HOSTNAME"), clock);
        this.flushTimer = Timer.builder("netplane.policy.flush").description("compile flush and publish").register(registry);
        registry.gauge("netplane.policy.sets", state, s -> s.read(PolicyCompiler::setCount));
        registry.gauge("netplane.policy.policies", state, s -> s.read(PolicyCompiler::policyCount));
        // one worker: the compiler and the flush state are single-threaded
        this.loop = ControlLoop.builder(LOOP, this::reconcile).workers(1).meters(registry).build();
    }

    void onStart(@Observes StartupEvent e) {
        if (!config.watch()) {
            ready = true;
            return;
        }
        namespaceInformer = client.namespaces().runnableInformer(0);
        podInformer = client.pods().inAnyNamespace().runnableInformer(0);
        policyInformer = client.network().v1().networkPolicies().inAnyNamespace().runnableInformer(0);
        namespaceInformer.addEventHandler(handler(ns -> "ns/" + ns.getMetadata().getName()));
        podInformer.addEventHandler(handler(p -> "pod/" + p.getMetadata().getNamespace() + "/" + p.getMetadata().getName()));
        policyInformer.addEventHandler(handler(np -> "policy/" + np.getMetadata().getNamespace() + "/"
                + np.getMetadata().getName()));
        informers = List.of(namespaceInformer, podInformer, policyInformer);
        loop.start();
        Informers.startRetrying(informers)
                .thenRun(() -> listed.complete(null))
                .exceptionally(t -> {
                    LOG.error("policy operator failed to start watching", t);
                    return null;
                });
        if (!config.leaderElection().enabled()) {
            lead();
            return;
        }
        gate = new LeaderGate(client, config.leaderElection().settings("policy-operator", client.getNamespace()),
                this::lead, this::standDown, registry, clock);
        gate.start();
    }

    void onStop(@Observes ShutdownEvent e) {
        if (gate != null) {
            gate.close();
        }
        informers.forEach(SharedIndexInformer::stop);
        loop.close();
    }

    /** A term starts: read what is on the topics and, once the informers have listed, publish the whole state. */
    private void lead() {
        leading = true;
        CompletableFuture.supplyAsync(this::readPublishedKeys).thenCombine(listed, (keys, v) -> keys)
                .thenAccept(keys -> {
                    termStart.set(Optional.ofNullable(keys));
                    loop.add(INITIAL_PUBLISH);
                });
    }

    private void standDown() {
        leading = false;
        ready = false;
        LOG.info("not leading: compiling without publishing");
    }

    /** The Lease gate, when watching with leader election on. */
    public Optional<LeaderGate> gate() {
        return Optional.ofNullable(gate);
    }

    /**
     * Leader: informers listed, the whole state published and stale keys tombstoned. Standby: informers listed and a
     * leader known.
     */
    public boolean isReady() {
        if (!config.watch()) {
            return ready;
        }
        boolean watching = informers.stream().allMatch(i -> i.hasSynced() && i.isWatching());
        if (gate != null && !leading) {
            return watching && gate.leaderKnown();
        }
        return ready && watching;
    }

    private PublishedKeys readPublishedKeys() {
        try {
            return PublishedKeys.read(bootstrapServers, config.snapshotTimeout());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** One key of the loop; throwing retries it with backoff. */
    private Result reconcile(String key) {
        switch (key) {
            case FLUSH -> flush();
            case INITIAL_PUBLISH -> initialPublish();
            case REPUBLISH -> republish();
            default -> {
                apply(key);
                scheduleFlush();
            }
        }
        return Result.DONE;
    }

    /**
     * Brings the compiler in line with the key's object as the store has it now. Events of one object that came
     * while its key was queued collapse into this one call, which reads the newest object and so passes the
     * compiler its newest resourceVersion; a delete passes the resourceVersion its delete event carried.
     */
    private void apply(String key) {
        Gone gone = deleted.get(key);
        int slash = key.indexOf('/');
        String kind = key.substring(0, slash);
        String objectKey = key.substring(slash + 1);
        switch (kind) {
            case "ns" -> applyNamespace(objectKey, gone);
            case "pod" -> applyPod(objectKey, gone);
            case "policy" -> applyPolicy(objectKey, gone);
            default -> LOG.warnf("unknown key %s", key);
        }
        if (gone != null) {
            deleted.remove(key, gone);
        }
    }

    private void applyNamespace(String name, Gone gone) {
        Namespace ns = namespaceInformer.getStore().getByKey(name);
        if (ns != null) {
            state.update(c -> c.upsertNamespace(PolicyInputs.namespace(ns), rv(ns)));
        } else {
            state.update(c -> c.deleteNamespace(name, gone == null ? null : gone.resourceVersion()));
        }
    }

    private void applyPod(String key, Gone gone) {
        Pod p = podInformer.getStore().getByKey(key);
        if (p != null) {
            state.update(c -> c.upsertPod(PolicyInputs.pod(p), rv(p)));
        } else {
            String[] nsName = key.split("/", 2);
            state.update(c -> c.deletePod(nsName[0], nsName[1], gone == null ? null : gone.resourceVersion()));
        }
    }

    private void applyPolicy(String key, Gone gone) {
        NetworkPolicy np = policyInformer.getStore().getByKey(key);
        String[] nsName = key.split("/", 2);
        if (gone != null && (np == null || !Objects.equals(gone.uid(), np.getMetadata().getUid()))) {
            events.forget(subject(nsName[0], nsName[1], gone.uid()));
        }
        if (np == null) {
            state.update(c -> c.deletePolicy(nsName[0], nsName[1]));
            return;
        }
        try {
            var spec = PolicyInputs.policy(np);
            state.update(c -> c.upsertPolicy(spec));
        } catch (IllegalArgumentException ex) {
            if (!leading) {
                return;
            }
            // only reachable for objects the API server would refuse; keep the previous compiled version
            report(key, List.of(ex.getMessage()));
        }
    }

    /** The only change since the last flush starts a burst: its flush comes {@code batch-delay} later. */
    private void scheduleFlush() {
        if (!flushScheduled && (ready || (!leading && listed.isDone()))) {
            flushScheduled = true;
            loop.addAfter(FLUSH, config.batchDelay());
        }
    }

    private void initialPublish() {
        Optional<PublishedKeys> start = termStart.get();
        if (start == null) {
            return; // published already
        }
        if (!leading) {
            termStart.compareAndSet(start, null); // lost the Lease while reading the topics
            return;
        }
        flush();
        if (discarded) {
            // what was flushed while another replica led was never published by this one
            publisher.publishAll(state.read(c -> c.snapshot(clock.instant()))).whenComplete((v, t) -> {
                if (t != null) {
                    LOG.errorf(t, "publishing the whole state failed");
                    republishLater();
                }
            });
            discarded = false;
        }
        if (start.isEmpty()) {
            LOG.warn("could not read the existing policies/ipsets topics in time; stale keys are not cleaned up");
        } else {
            Set<String> stalePolicies = new HashSet<>(start.get().policies());
            Set<String> staleSets = new HashSet<>(start.get().sets());
            state.read(c -> {
                stalePolicies.removeAll(c.policyKeys());
                staleSets.removeAll(c.setIds());
                return null;
            });
            // the shards of current sets as just planned; the tombstones go out after that publish
            staleSets.removeAll(publisher.liveShardKeys());
            publisher.tombstone(stalePolicies, staleSets).join();
            LOG.infof("tombstoned %d stale policies and %d stale sets", stalePolicies.size(), staleSets.size());
        }
        ready = true;
        termStart.compareAndSet(start, null);
    }

    private void flush() {
        flushScheduled = false;
        flushTimer.record(() -> {
            CompileDelta d = state.read(c -> c.flush(clock.instant()));
            if (d.isEmpty() && d.invalid().isEmpty()) {
                return;
            }
            if (!leading) {
                discarded = true; // the leader publishes these; if this replica leads next, it republishes all
                return;
            }
            publisher.publish(d).whenComplete((v, t) -> {
                if (t != null) {
                    LOG.errorf(t, "publishing %d sets and %d policies failed", d.sets().size(), d.policies().size());
                    republishLater();
                }
            });
            d.invalid().forEach(this::report);
            d.policies().stream().filter(p -> !d.invalid().containsKey(p.namespace() + "/" + p.name()))
                    .forEach(p -> events.forget(subject(p.namespace(), p.name(), null)));
        });
    }

    /** The policy's errors as one Warning: a changed list is told at once, the same list not again for a while. */
    private void report(String key, List<String> errors) {
        String[] nsName = key.split("/", 2);
        NetworkPolicy np = policyInformer == null ? null : policyInformer.getStore().getByKey(key);
        String message = "NetworkPolicy " + key + " is invalid; the invalid rules are ignored and the policy still"
                + " isolates the Pods it selects: " + String.join("; ", errors);
        events.report(subject(nsName[0], nsName[1], np == null ? null : np.getMetadata().getUid()),
                List.of(Problem.warning(config.invalidReason(), message)));
    }

    private static Subject subject(String namespace, String name, String uid) {
        return new Subject("networking.k8s.io/v1", "NetworkPolicy", namespace, name, uid);
    }

    /** After a failed publish the flushed changes are gone from the compiler: republish the whole state. */
    private void republishLater() {
        loop.addAfter(REPUBLISH, REPUBLISH_AFTER);
    }

    private void republish() {
        if (!leading) {
            discarded = true; // the next term of this replica publishes the whole state
            return;
        }
        publisher.publishAll(state.read(c -> c.snapshot(clock.instant()))).whenComplete((v, t) -> {
            if (t != null) {
                LOG.errorf(t, "republishing the whole state failed; retrying");
                republishLater();
            }
        });
    }

    /** Queues the object's key; a delete first keeps what the reconcile of the gone object needs. */
    private <T extends HasMetadata> QueueingHandler<T> handler(Function<T, String> key) {
        return QueueingHandler.<T>mapped(o -> List.of(key.apply(o)), loop::addAll)
                .onDelete(o -> deleted.put(key.apply(o), new Gone(o.getMetadata().getUid(), rv(o))));
    }

    private static String rv(HasMetadata o) {
        return o.getMetadata().getResourceVersion();
    }
}
