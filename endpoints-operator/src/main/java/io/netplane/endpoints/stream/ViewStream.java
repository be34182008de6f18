package io.netplane.endpoints.stream;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netplane.api.events.ContractEvent;
import io.netplane.api.events.Topic;
import io.netplane.runtime.kafka.EventPublisher;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.jboss.logging.Logger;

/**
 * Publishes one kind of API object to one topic: the current view on add/update (skipped when a consumer would see
 * nothing new), a tombstone on delete, and, once the informer has synced, a tombstone for every key that is live on
 * the topic but no longer in the API (deleted while the operator was down). All state changes run on one thread per
 * stream, so events for a key are published in the order the informer saw them. A failed send is retried from the
 * informer's current state.
 */
public final class ViewStream<R extends HasMetadata, V extends ContractEvent> implements ResourceEventHandler<R>,
        AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ViewStream.class);
    private static final long RETRY_MILLIS = 1000;

    private final Topic<V> topic;
    private final SharedIndexInformer<R> informer;
    private final BiFunction<R, Instant, V> mapper;
    private final EventPublisher publisher;
    private final Clock clock;
    /** Key → digest of the value that is (or is being made) live on the topic. Touched only on {@link #worker}. */
    private final Map<String, Digest> live;
    private final ScheduledExecutorService worker;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Counter published;
    private final Counter tombstones;
    private final Counter skipped;
    private final Counter failures;
    private volatile boolean swept;
    private volatile boolean ready;

    public ViewStream(Topic<V> topic, SharedIndexInformer<R> informer, BiFunction<R, Instant, V> mapper,
            EventPublisher publisher, Clock clock, Map<String, Digest> liveOnTopic, MeterRegistry meters) {
        this.topic = topic;
        this.informer = informer;
        this.mapper = mapper;
        this.publisher = publisher;
        this.clock = clock;
        this.live = new HashMap<>(liveOnTopic);
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stream-" + topic.name());
            t.setDaemon(true);
            return t;
        });
        this.published = Counter.builder("netplane.endpoints.events.published").tag("topic", topic.name())
                .register(meters);
        this.tombstones = Counter.builder("netplane.endpoints.tombstones.published").tag("topic", topic.name())
                .register(meters);
        this.skipped = Counter.builder("netplane.endpoints.events.unchanged").tag("topic", topic.name())
                .register(meters);
        this.failures = Counter.builder("netplane.endpoints.publish.failures").tag("topic", topic.name())
                .register(meters);
        informer.addEventHandler(this);
    }

    public Topic<V> topic() {
        return topic;
    }

    @Override
    public void onAdd(R obj) {
        worker.execute(() -> publishCurrent(obj));
    }

    @Override
    public void onUpdate(R oldObj, R newObj) {
        worker.execute(() -> publishCurrent(newObj));
    }

    @Override
    public void onDelete(R obj, boolean deletedFinalStateUnknown) {
        String key = Cache.metaNamespaceKeyFunc(obj);
        worker.execute(() -> tombstone(key));
    }

    /**
     * Call once the informer has synced: tombstones every key live on the topic that the API no longer lists, then
     * reports ready when every send since start has been acknowledged.
     */
    public void sweep() {
        worker.execute(() -> {
            List<String> gone = live.keySet().stream().filter(k -> informer.getStore().getByKey(k) == null).toList();
            if (!gone.isEmpty()) {
                LOG.infof("%s: tombstoning %d keys deleted while the operator was down", topic, gone.size());
            }
            gone.forEach(this::tombstone);
            swept = true;
            checkReady();
        });
    }

    /** Swept, and every send since start has been acknowledged by Kafka. Latches once true. */
    public boolean isReady() {
        return ready;
    }

    public int liveKeys() {
        return live.size();
    }

    private void publishCurrent(R obj) {
        String key = Cache.metaNamespaceKeyFunc(obj);
        V view;
        try {
            view = mapper.apply(obj, clock.instant());
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s: cannot build the view of %s; not published", topic, key);
            return;
        }
        Digest digest = Digest.of(view);
        if (digest.equals(live.get(key))) {
            skipped.increment();
            return;
        }
        live.put(key, digest);
        track(publisher.publish(topic, view), key, published);
    }

    private void tombstone(String key) {
        if (!live.containsKey(key)) {
            return;
        }
        live.remove(key);
        track(publisher.tombstone(topic, key), key, tombstones);
    }

    private void track(CompletableFuture<?> send, String key, Counter onSuccess) {
        inFlight.incrementAndGet();
        send.whenComplete((md, err) -> {
            inFlight.decrementAndGet();
            if (err == null) {
                onSuccess.increment();
                if (!ready) {
                    worker.execute(this::checkReady);
                }
                return;
            }
            failures.increment();
            LOG.warnf("%s: publishing %s failed (%s); retrying from the current API state", topic, key, err.getMessage());
            worker.schedule(() -> retry(key), RETRY_MILLIS, TimeUnit.MILLISECONDS);
        });
    }

    private void retry(String key) {
        R current = informer.getStore().getByKey(key);
        if (current != null) {
            live.put(key, Digest.UNKNOWN);
            publishCurrent(current);
        } else {
            live.put(key, Digest.UNKNOWN);
            tombstone(key);
        }
    }

    private void checkReady() {
        if (swept && inFlight.get() == 0) {
            ready = true;
        }
    }

    /** Stops publishing: detaches from the informer (which keeps running) and drops what is still queued. */
    @Override
    public void close() {
        informer.removeEventHandler(this);
        worker.shutdownNow();
    }
}
