package io.netplane.proxy.sync;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netplane.api.events.ContractEvent;
import io.netplane.api.events.EndpointSliceView;
import io.netplane.api.events.NodeView;
import io.netplane.api.events.ServiceView;
import io.netplane.api.events.Topic;
import io.netplane.api.events.Topics;
import io.netplane.api.net.IpFamily;
import io.netplane.proxy.model.NodeContext;
import io.netplane.proxy.model.PlannedPort;
import io.netplane.proxy.model.ServicePlan;
import io.netplane.proxy.model.ServicePlanner;
import io.netplane.proxy.state.ClusterState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Applies cluster changes to a {@link Dataplane}: nothing before the Kafka snapshot is complete, then one full
 * sync, then batches of changed Services (at most one sync per {@code minSyncInterval}: a change after a quiet
 * interval is applied at once, changes arriving within one interval together). A
 * failed apply changes nothing; its Services stay pending and are retried, and repeated failures fall back
 * to a full rebuild. One worker thread does all programming.
 */
public final class SyncLoop implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SyncLoop.class);

    /** Settings of the loop itself. */
    public record Settings(String nodeName, List<IpFamily> families, String proxyName, boolean followNodeHints,
            Duration minSyncInterval, Duration retryInterval) {
    }

    /**
     * Services per transaction of a cold start in batches, which a node's first start with more than twice as many
     * makes (upstream issue 139328: one giant transaction stalls the node for its whole length). Smaller clusters
     * get one transaction, as a restart does: each batch costs nft another read of the table it grows.
     */
    private static final int BATCH = 1000;

    private final Settings settings;
    private final Dataplane dataplane;
    private final Clock clock;
    private final ClusterState state;
    private final Set<String> dirty = new HashSet<>();
    private final List<Instant> observed = new ArrayList<>();
    private final Map<String, List<PlannedPort>> programmed = new LinkedHashMap<>();
    private final Deque<Set<String>> batches = new ArrayDeque<>();
    private final Set<String> quarantined = new HashSet<>();
    private final Map<String, Integer> keyFailures = new HashMap<>();
    private boolean rebuildInBatches;
    private final Thread worker;
    private final Timer fullSyncs;
    private final Timer partialSyncs;
    private final Timer programmingLatency;
    private final Counter invalid;
    private final Counter failures;
    private Consumer<Map<String, List<PlannedPort>>> afterSync = m -> { };
    private NodeContext node;
    private boolean caughtUp;
    private boolean fullNeeded = true;
    private Instant pendingSince;
    private volatile Instant lastSync;
    /** System.nanoTime() when the last sync started (worker thread only). */
    private long lastStart = System.nanoTime() - Long.MAX_VALUE / 2;
    /** A rebuild in batches is under way: not every Service is programmed yet. */
    private volatile boolean rebuilding;
    private volatile boolean running = true;

    public SyncLoop(Settings settings, Dataplane dataplane, Clock clock, MeterRegistry registry) {
        this.settings = settings;
        this.dataplane = dataplane;
        this.clock = clock;
        this.state = new ClusterState(settings.nodeName());
        this.node = NodeContext.of(settings.nodeName(), null, settings.followNodeHints());
        this.fullSyncs = Timer.builder("netplane.proxy.sync.duration").tag("kind", "full")
                .description("time to render and apply rules").register(registry);
        this.partialSyncs = Timer.builder("netplane.proxy.sync.duration").tag("kind", "partial")
                .description("time to render and apply rules").register(registry);
        this.programmingLatency = Timer.builder("netplane.proxy.network.programming.latency")
                .description("from the instant an operator observed a change to its rules being applied")
                .publishPercentiles(0.5, 0.99).register(registry);
        this.invalid = Counter.builder("netplane.proxy.invalid.objects")
                .description("Service or EndpointSlice values with invalid fields (skipped)").register(registry);
        this.failures = Counter.builder("netplane.proxy.sync.failures")
                .description("applies that failed and were retried").register(registry);
        registry.gauge("netplane.proxy.rules", this, s -> s.dataplane.ruleCount());
        registry.gauge("netplane.proxy.last.sync.seconds", this,
                s -> s.lastSync == null ? 0 : s.lastSync.toEpochMilli() / 1000.0);
        this.worker = new Thread(this::run, "node-proxy-sync");
        this.worker.setDaemon(true);
    }

    /** Called with every Service's programmed ports (first family) after each successful sync. */
    public void onSynced(Consumer<Map<String, List<PlannedPort>>> listener) {
        this.afterSync = listener;
    }

    public SyncLoop start() {
        worker.start();
        return this;
    }

    /** One event from the snapshot follower; values are full state, null for a tombstone. */
    public synchronized void onEvent(Topic<?> topic, String key, ContractEvent value) {
        Collection<String> affected;
        if (topic.equals(Topics.SERVICES)) {
            affected = List.of(state.putService(key, (ServiceView) value));
        } else if (topic.equals(Topics.ENDPOINT_SLICES)) {
            affected = state.putSlice(key, (EndpointSliceView) value);
        } else if (topic.equals(Topics.NODES)) {
            if (state.putNode(key, (NodeView) value)) {
                NodeContext next = NodeContext.of(settings.nodeName(), state.node(), settings.followNodeHints());
                if (!next.equals(node)) {
                    node = next;
                    fullNeeded = true;
                    markPending();
                    notifyAll();
                }
            }
            return;
        } else {
            return;
        }
        dirty.addAll(affected);
        // a changed Service gets another chance
        quarantined.removeAll(affected);
        affected.forEach(keyFailures::remove);
        if (caughtUp && value != null) {
            observed.add(value.observedAt());
        }
        markPending();
        notifyAll();
    }

    public synchronized void onCaughtUp() {
        caughtUp = true;
        LOG.infof("snapshot complete: %d Services; programming rules", state.serviceCount());
        notifyAll();
    }

    /** The last successful apply, or null before the first. */
    public Instant lastSync() {
        return lastSync;
    }

    /** When the oldest change not yet applied arrived, or null when everything is applied. */
    public synchronized Instant pendingSince() {
        return pendingSince;
    }

    /** Every Service known at the last full sync is programmed (not only the first batches of a rebuild). */
    public boolean synced() {
        return lastSync != null && !rebuilding;
    }

    public int ruleCount() {
        return dataplane.ruleCount();
    }

    private void markPending() {
        if (pendingSince == null) {
            pendingSince = clock.instant();
        }
    }

    private void run() {
        while (running) {
            try {
                if (!awaitWork()) {
                    return;
                }
                // at most one sync per interval, as kube-proxy's bounded-frequency runner: a change after a quiet
                // interval goes at once, the ones arriving during a sync's interval together at its end
                long wait = settings.minSyncInterval().toNanos() - (System.nanoTime() - lastStart);
                if (synced() && wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                lastStart = System.nanoTime();
                syncOnce();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("sync loop error; continuing", e);
            }
        }
    }

    private synchronized boolean awaitWork() throws InterruptedException {
        while (running && !(caughtUp && (fullNeeded || !dirty.isEmpty() || !batches.isEmpty()))) {
            wait(1000);
        }
        return running;
    }

    private void syncOnce() throws InterruptedException {
        boolean full;
        boolean batchedRebuild = false;
        Set<String> keys;
        List<Instant> latencies;
        SyncInput input;
        synchronized (this) {
            full = fullNeeded;
            if (full) {
                // a node's first start with many Services: the bare table, then batches, so that no transaction
                // holds the whole table (each batch serves its Services as soon as it lands)
                if (lastSync == null && state.serviceKeys().size() > 2 * BATCH && dataplane.coldStart()) {
                    rebuildInBatches = true;
                }
                batchedRebuild = rebuildInBatches;
                keys = batchedRebuild ? new HashSet<>() : new HashSet<>(state.serviceKeys());
                dirty.clear();
                batches.clear();
            } else if (!batches.isEmpty()) {
                keys = batches.poll();
            } else {
                keys = new HashSet<>(dirty);
                dirty.clear();
            }
            fullNeeded = false;
            latencies = new ArrayList<>(observed);
            observed.clear();
            pendingSince = null;
            input = plan(keys);
        }
        long t0 = System.nanoTime();
        try {
            if (full) {
                dataplane.replaceAll(input);
            } else {
                dataplane.update(input);
            }
        } catch (Exception e) {
            failures.increment();
            LOG.errorf("applying %s of %d Services failed, will retry: %s", full ? "full sync" : "update",
                    keys.size(), e.getMessage());
            boolean intact = !full && dataplane.intact();
            synchronized (this) {
                observed.addAll(latencies);
                markPending();
                onFailure(full, intact, keys, e);
            }
            Thread.sleep(settings.retryInterval().toMillis());
            return;
        }
        if (batchedRebuild) {
            synchronized (this) {
                rebuildInBatches = false;
                List<String> all = new ArrayList<>(state.serviceKeys());
                for (int i = 0; i < all.size(); i += BATCH) {
                    batches.add(new HashSet<>(all.subList(i, Math.min(all.size(), i + BATCH))));
                }
                rebuilding = !batches.isEmpty();
                markPending();
            }
        }
        synchronized (this) {
            keys.forEach(keyFailures::remove);
            if (!batchedRebuild && batches.isEmpty()) {
                rebuilding = false;
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        (full ? fullSyncs : partialSyncs).record(took);
        Instant now = clock.instant();
        latencies.forEach(o -> programmingLatency.record(Duration.between(o, now).isNegative()
                ? Duration.ZERO : Duration.between(o, now)));
        lastSync = now;
        Map<String, List<PlannedPort>> primary = input.services().get(settings.families().get(0));
        if (full) {
            programmed.clear();
        }
        primary.forEach((k, ports) -> {
            if (ports.isEmpty()) {
                programmed.remove(k);
            } else {
                programmed.put(k, ports);
            }
        });
        LOG.debugf("%s sync of %d Services in %d ms", full ? "full" : "partial", keys.size(), took.toMillis());
        try {
            afterSync.accept(Map.copyOf(programmed));
        } catch (RuntimeException e) {
            LOG.error("post-sync listener failed", e);
        }
    }

    /**
     * Decides what to try after a failed apply, so that one Service nft rejects never stops the others: a
     * damaged table is rebuilt; a failed full sync is redone as the bare table plus batches of Services; a
     * failed batch is split in two; a single Service that fails twice is quarantined (its rules removed,
     * logged and counted) until its next change.
     */
    private void onFailure(boolean full, boolean intact, Set<String> keys, Exception e) {
        if (full) {
            fullNeeded = true;
            rebuildInBatches = true;
        } else if (!intact) {
            fullNeeded = true;
            dirty.addAll(keys);
        } else if (keys.size() > 1) {
            List<String> l = new ArrayList<>(keys);
            int half = l.size() / 2;
            batches.addFirst(new HashSet<>(l.subList(half, l.size())));
            batches.addFirst(new HashSet<>(l.subList(0, half)));
        } else if (!keys.isEmpty()) {
            String key = keys.iterator().next();
            if (quarantined.contains(key)) {
                LOG.errorf("Service %s: even removing its rules failed; leaving it until it changes", key);
            } else if (keyFailures.merge(key, 1, Integer::sum) >= 2) {
                quarantined.add(key);
                invalid.increment();
                LOG.errorf("Service %s cannot be programmed (%s); its rules are removed until it changes", key,
                        e.getMessage());
                batches.addFirst(new HashSet<>(keys));
            } else {
                batches.addFirst(new HashSet<>(keys));
            }
        }
    }

    private SyncInput plan(Set<String> keys) {
        Map<IpFamily, Map<String, List<PlannedPort>>> out = new EnumMap<>(IpFamily.class);
        for (IpFamily family : settings.families()) {
            Map<String, List<PlannedPort>> perService = new LinkedHashMap<>();
            for (String key : keys) {
                ServiceView svc = state.service(key);
                if (svc == null || quarantined.contains(key)) {
                    perService.put(key, List.of());
                    continue;
                }
                ServicePlan plan;
                try {
                    plan = ServicePlanner.plan(svc, state.slicesFor(key), family, settings.nodeName(),
                            settings.proxyName());
                } catch (RuntimeException e) {
                    // a value the planner did not foresee must not stop the other Services
                    plan = new ServicePlan(key, List.of(), List.of("cannot be planned: " + e));
                }
                if (!plan.problems().isEmpty()) {
                    invalid.increment();
                    LOG.warnf("Service %s (%s): skipped invalid input: %s", key, family, String.join("; ", plan.problems()));
                }
                perService.put(key, plan.ports());
            }
            out.put(family, perService);
        }
        return new SyncInput(out, node, state.serviceKeys().size());
    }

    @Override
    public void close() {
        running = false;
        worker.interrupt();
    }
}
