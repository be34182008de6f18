package io.netplane.proxy.sync;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netplane.api.events.ContractEvent;
import io.netplane.api.events.IpSetView;
import io.netplane.api.events.PolicyView;
import io.netplane.api.events.Topic;
import io.netplane.api.events.Topics;
import io.netplane.proxy.policy.IpSetAssembler;
import io.netplane.proxy.policy.PolicyTable;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Programs NetworkPolicy enforcement (the {@code io.netplane.proxy.policy} renderer) from the policies and
 * ipsets topics: nothing before the snapshot is complete, then the whole policy table, then only differences.
 * Sets are rebuilt from their records by {@link IpSetAssembler}: a sharded set is enforced only once all its shards
 * are here (its previous version until then). A failed apply changes nothing; the next attempt rebuilds the table.
 */
public final class PolicyLoop implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PolicyLoop.class);

    private final PolicyTable table;
    private final NftApplier applier;
    private final Duration minInterval;
    private final Duration retryInterval;
    private final Map<String, PolicyView> policies = new HashMap<>();
    private final IpSetAssembler sets = new IpSetAssembler();
    private final Thread worker;
    private final Timer syncs;
    private final Counter failures;
    private boolean caughtUp;
    private boolean dirty = true;
    private volatile boolean synced;
    private volatile boolean running = true;

    public PolicyLoop(String nodeName, NftApplier applier, Duration minInterval, Duration retryInterval,
            MeterRegistry registry) {
        this.table = new PolicyTable(nodeName);
        this.applier = applier;
        this.minInterval = minInterval;
        this.retryInterval = retryInterval;
        this.syncs = Timer.builder("netplane.proxy.policy.sync.duration")
                .description("time to render and apply the policy table").register(registry);
        this.failures = Counter.builder("netplane.proxy.policy.sync.failures").register(registry);
        registry.gauge("netplane.proxy.policy.sets.pending", this, l -> l.pendingSets().size());
        this.worker = new Thread(this::run, "node-proxy-policy");
        this.worker.setDaemon(true);
    }

    /** The topics this loop reads. */
    public static List<Topic<?>> topics() {
        return List.of(Topics.POLICIES, Topics.IP_SETS);
    }

    public PolicyLoop start() {
        worker.start();
        return this;
    }

    public synchronized void onEvent(Topic<?> topic, String key, ContractEvent value) {
        if (topic.equals(Topics.POLICIES)) {
            put(policies, key, (PolicyView) value);
        } else if (topic.equals(Topics.IP_SETS)) {
            IpSetAssembler.Outcome o = sets.accept(key, (IpSetView) value);
            if (o.problem() != null) {
                LOG.warn(o.problem());
            }
            if (!o.changed()) {
                return;
            }
        } else {
            return;
        }
        dirty = true;
        notifyAll();
    }

    public synchronized void onCaughtUp() {
        caughtUp = true;
        if (!sets.pending().isEmpty()) {
            LOG.warnf("snapshot read with sets still missing shards (enforced once complete): %s", sets.pending());
        }
        notifyAll();
    }

    /** Sharded sets whose newest header lists shards not received yet. */
    public synchronized Set<String> pendingSets() {
        return Set.copyOf(sets.pending());
    }

    public boolean synced() {
        return synced;
    }

    private static <T> void put(Map<String, T> m, String key, T value) {
        if (value == null) {
            m.remove(key);
        } else {
            m.put(key, value);
        }
    }

    private void run() {
        try {
            while (running) {
                String script;
                long t0;
                synchronized (this) {
                    while (running && !(caughtUp && dirty)) {
                        wait(1000);
                    }
                    if (!running) {
                        return;
                    }
                    dirty = false;
                    t0 = System.nanoTime();
                    List<PolicyView> held = List.copyOf(policies.values());
                    script = table.next(held, sets.forPolicies(IpSetAssembler.referencedBy(held)));
                }
                try {
                    if (!script.isEmpty()) {
                        applier.apply(script);
                    }
                    table.applied();
                    synced = true;
                    syncs.record(Duration.ofNanos(System.nanoTime() - t0));
                } catch (NftApplier.NftException | RuntimeException e) {
                    failures.increment();
                    LOG.errorf("applying the policy table failed, will rebuild it: %s", e.getMessage());
                    table.reset();
                    synchronized (this) {
                        dirty = true;
                    }
                    Thread.sleep(retryInterval.toMillis());
                }
                Thread.sleep(minInterval.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        worker.interrupt();
    }
}
