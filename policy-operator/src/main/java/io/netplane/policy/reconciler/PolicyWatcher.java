package io.netplane.policy.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netplane.policy.compiler.CompileDelta;
import io.netplane.policy.compiler.PolicyCompiler;
import io.netplane.policy.config.PolicyOperatorConfig;
import io.netplane.policy.kafka.PolicyPublisher;
import io.netplane.policy.kafka.PublishedKeys;
import io.netplane.runtime.kube.Informers;
import io.netplane.runtime.leader.LeaderGate;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Watches Namespaces, Pods and NetworkPolicies with informers, feeds every change to the compiler on one thread,
 * and publishes a compile flush shortly after each burst of changes. Every replica compiles (the explain API and a
 * warm standby); only the holder of the Lease publishes and raises Events. At the start of each term it waits for
 * the informers to list, publishes the whole state, and tombstones keys left on the topics by objects deleted
 * while it was down or not leading.
 */
@ApplicationScoped
public class PolicyWatcher {
    private static final Logger LOG = Logger.getLogger(PolicyWatcher.class);
    private final KubernetesClient client;
    private final PolicyState state;
    private final PolicyPublisher publisher;
    private final PolicyEvents events;
    private final PolicyOperatorConfig config;
    private final String bootstrapServers;
    private final Timer flushTimer;
    private final Clock clock = Clock.systemUTC();
    private final MeterRegistry registry;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "policy-compiler");
        t.setDaemon(true);
        return t;
    });
    private List<SharedIndexInformer<? extends HasMetadata>> informers = List.of();
    private SharedIndexInformer<NetworkPolicy> policyInformer;
    private final CompletableFuture<Void> listed = new CompletableFuture<>();
    private LeaderGate gate;
    private boolean flushScheduled;
    /** Compiled changes were dropped while not leading: the next term publishes the whole state. Loop only. */
    private boolean discarded;
    /** Publishes and raises Events: holds the Lease (or leader election is off). */
    private volatile boolean leading;
    /** This term's whole state is published and its stale keys tombstoned. */
    private volatile boolean ready;

    public PolicyWatcher(KubernetesClient client, PolicyState state, PolicyPublisher publisher, PolicyEvents events,
            PolicyOperatorConfig config, MeterRegistry registry, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.client = client;
        this.state = state;
        this.publisher = publisher;
        this.events = events;
        this.config = config;
        this.bootstrapServers = bootstrapServers;
        this.registry = registry;
        this.flushTimer = Timer.builder("netplane.policy.flush").description("compile flush and publish").register(registry);
        registry.gauge("netplane.policy.sets", state, s -> s.read(PolicyCompiler::setCount));
        registry.gauge("netplane.policy.policies", state, s -> s.read(PolicyCompiler::policyCount));
    }

    void onStart(@Observes StartupEvent e) {
        if (!config.watch()) {
            ready = true;
            return;
        }
        SharedIndexInformer<Namespace> namespaces = client.namespaces().runnableInformer(0);
        SharedIndexInformer<Pod> pods = client.pods().inAnyNamespace().runnableInformer(0);
        SharedIndexInformer<NetworkPolicy> policies = client.network().v1().networkPolicies().inAnyNamespace().runnableInformer(0);
        namespaces.addEventHandler(handler(ns -> state.update(c -> c.upsertNamespace(KubernetesObjects.namespace(ns), rv(ns))),
                ns -> state.update(c -> c.deleteNamespace(ns.getMetadata().getName(), rv(ns)))));
        pods.addEventHandler(handler(p -> state.update(c -> c.upsertPod(KubernetesObjects.pod(p), rv(p))),
                p -> state.update(c -> c.deletePod(p.getMetadata().getNamespace(), p.getMetadata().getName(), rv(p)))));
        policies.addEventHandler(handler(this::applyPolicy, np -> {
            events.forget(np.getMetadata().getNamespace(), np.getMetadata().getName());
            state.update(c -> c.deletePolicy(np.getMetadata().getNamespace(), np.getMetadata().getName()));
        }));
        informers = List.of(namespaces, pods, policies);
        policyInformer = policies;
        Informers.startRetrying(informers)
                .thenRun(() -> loop.execute(() -> listed.complete(null)))
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
        loop.shutdownNow();
    }

    /** A term starts: read what is on the topics and, once the informers have listed, publish the whole state. */
    private void lead() {
        leading = true;
        CompletableFuture.supplyAsync(this::readPublishedKeys).thenCombine(listed, (keys, v) -> keys)
                .thenAccept(keys -> loop.execute(() -> initialPublish(keys)));
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

    private void initialPublish(PublishedKeys keys) {
        if (!leading) {
            return; // lost the Lease while reading the topics
        }
        flush();
        if (discarded) {
            // what was flushed while another replica led was never published by this one
            publisher.publish(state.read(c -> c.snapshot(clock.instant()))).whenComplete((v, t) -> {
                if (t != null) {
                    LOG.errorf(t, "publishing the whole state failed");
                    republishLater();
                }
            });
            discarded = false;
        }
        if (keys == null) {
            LOG.warn("could not read the existing policies/ipsets topics in time; stale keys are not cleaned up");
        } else {
            Set<String> stalePolicies = new HashSet<>(keys.policies());
            Set<String> staleSets = new HashSet<>(keys.sets());
            state.read(c -> {
                stalePolicies.removeAll(c.policyKeys());
                staleSets.removeAll(c.setIds());
                return null;
            });
            publisher.tombstone(stalePolicies, staleSets).join();
            LOG.infof("tombstoned %d stale policies and %d stale sets", stalePolicies.size(), staleSets.size());
        }
        ready = true;
    }

    private void applyPolicy(NetworkPolicy np) {
        try {
            var spec = KubernetesObjects.policy(np);
            state.update(c -> c.upsertPolicy(spec));
        } catch (IllegalArgumentException ex) {
            if (!leading) {
                return;
            }
            // only reachable for objects the API server would refuse; keep the previous compiled version
            events.invalid(np.getMetadata().getNamespace(), np.getMetadata().getName(), np.getMetadata().getUid(),
                    List.of(ex.getMessage()));
        }
    }

    private <T extends HasMetadata> ResourceEventHandler<T> handler(Consumer<T> upsert, Consumer<T> delete) {
        BiConsumer<Consumer<T>, T> onLoop = (action, obj) -> loop.execute(() -> {
            try {
                action.accept(obj);
            } catch (RuntimeException ex) {
                LOG.errorf(ex, "could not apply %s %s/%s", obj.getKind(), obj.getMetadata().getNamespace(), obj.getMetadata().getName());
            }
            scheduleFlush();
        });
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                onLoop.accept(upsert, obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                onLoop.accept(upsert, newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                onLoop.accept(delete, obj);
            }
        };
    }

    private void scheduleFlush() {
        if (!flushScheduled && (ready || (!leading && listed.isDone()))) {
            flushScheduled = true;
            loop.schedule(this::flush, config.batchDelay().toMillis(), TimeUnit.MILLISECONDS);
        }
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
            d.invalid().forEach((key, errors) -> {
                String[] nsName = key.split("/", 2);
                events.invalid(nsName[0], nsName[1], uid(nsName[0], nsName[1]), errors);
            });
        });
    }

    private String uid(String namespace, String name) {
        NetworkPolicy np = policyInformer == null ? null : policyInformer.getStore().getByKey(namespace + "/" + name);
        return np == null ? null : np.getMetadata().getUid();
    }

    /** After a failed publish the flushed changes are gone from the compiler: republish the whole state. */
    private void republishLater() {
        loop.schedule(() -> {
            if (!leading) {
                discarded = true; // the next term of this replica publishes the whole state
                return;
            }
            publisher.publish(state.read(c -> c.snapshot(clock.instant()))).whenComplete((v, t) -> {
                if (t != null) {
                    LOG.errorf(t, "republishing the whole state failed; retrying");
                    republishLater();
                }
            });
        }, 5, TimeUnit.SECONDS);
    }

    private static String rv(HasMetadata o) {
        return o.getMetadata().getResourceVersion();
    }
}
