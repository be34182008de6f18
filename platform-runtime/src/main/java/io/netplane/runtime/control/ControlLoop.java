package io.netplane.runtime.control;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control loop every Netplane operator runs, in the manner of client-go's workqueue and controller-runtime: a
 * de-duplicating queue of object keys, a bounded number of workers, each key handed to one worker at a time (a key
 * added while it is being reconciled is reconciled again afterwards), per-key exponential backoff with a cap for a
 * reconcile that fails, and leader gating ({@link #pause()} hands out no key while another replica leads; keys keep
 * being queued and de-duplicated meanwhile). The reconciler reads the current state for the key from its caches,
 * so a key queued ten times is reconciled once.
 *
 * <p>Metrics, tagged {@code loop=<name>}: {@code netplane.loop.depth} (keys queued or in work),
 * {@code netplane.loop.adds}, {@code netplane.loop.retries}, {@code netplane.loop.queue.latency} (from queued to
 * handed out) and {@code netplane.loop.work.duration} (one reconcile). A loop lives as long as the process and is
 * paused and resumed across leadership terms: Micrometer binds a gauge to the first loop registered under its name,
 * so a second loop of the same name would report the first one's depth.
 */
public final class ControlLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlLoop.class);

    /** Reconciles one key; throwing retries it with backoff. */
    @FunctionalInterface
    public interface Reconciler {
        Result reconcile(String key) throws Exception;
    }

    /** Told of every failed attempt of a key; {@code attempts} counts this one (1 on the first failure). */
    @FunctionalInterface
    public interface FailureListener {
        void failed(String key, int attempts, Exception error);
    }

    /** What a reconcile asks of the loop: nothing more, or to look at the key again after a while. */
    public record Result(Duration requeueAfter) {
        public static final Result DONE = new Result(null);

        public static Result requeueAfter(Duration delay) {
            return new Result(Objects.requireNonNull(delay));
        }
    }

    private final String name;
    private final Reconciler reconciler;
    private final int workerCount;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final FailureListener failureListener;
    /** Key to the nano time it was queued at, in queue order. */
    private final LinkedHashMap<String, Long> queued = new LinkedHashMap<>();
    private final Map<String, Long> dirtyWhileProcessing = new HashMap<>();
    private final java.util.Set<String> processing = new java.util.HashSet<>();
    private final Map<String, Integer> failures = new HashMap<>();
    private final List<Thread> workers = new ArrayList<>();
    private final ScheduledExecutorService timers;
    private final Counter adds;
    private final Counter retries;
    private final Timer queueLatency;
    private final Timer workDuration;
    private boolean paused;
    private boolean closed;

    private ControlLoop(Builder b) {
        this.name = b.name;
        this.reconciler = b.reconciler;
        this.workerCount = b.workers;
        this.baseDelay = b.baseDelay;
        this.maxDelay = b.maxDelay;
        this.failureListener = b.failureListener;
        this.paused = b.startPaused;
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name + "-loop-timer");
            t.setDaemon(true);
            return t;
        });
        MeterRegistry meters = b.meters == null ? new SimpleMeterRegistry() : b.meters;
        Gauge.builder("netplane.loop.depth", this, ControlLoop::depth).tag("loop", name)
                .description("keys queued or being reconciled").register(meters);
        adds = Counter.builder("netplane.loop.adds").tag("loop", name).register(meters);
        retries = Counter.builder("netplane.loop.retries").tag("loop", name)
                .description("failed reconciles queued again with backoff").register(meters);
        queueLatency = Timer.builder("netplane.loop.queue.latency").tag("loop", name)
                .description("from a key queued to a worker taking it").register(meters);
        workDuration = Timer.builder("netplane.loop.work.duration").tag("loop", name)
                .description("one reconcile").register(meters);
    }

    public static Builder builder(String name, Reconciler reconciler) {
        return new Builder(name, reconciler);
    }

    /** Starts the workers (once). */
    public synchronized void start() {
        if (!workers.isEmpty() || closed) {
            return;
        }
        for (int i = 0; i < workerCount; i++) {
            Thread t = new Thread(this::work, name + "-worker-" + i);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
    }

    public synchronized boolean started() {
        return !workers.isEmpty();
    }

    /** Queues {@code key} unless it is queued already; one being reconciled is reconciled again afterwards. */
    public synchronized void add(String key) {
        if (closed) {
            return;
        }
        adds.increment();
        long now = System.nanoTime();
        if (processing.contains(key)) {
            dirtyWhileProcessing.putIfAbsent(key, now);
            return;
        }
        if (queued.putIfAbsent(key, now) == null) {
            notifyAll();
        }
    }

    public void addAll(Collection<String> keys) {
        keys.forEach(this::add);
    }

    /** Queues {@code key} after {@code delay}; nothing once closed. */
    public void addAfter(String key, Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            add(key);
            return;
        }
        try {
            timers.schedule(() -> add(key), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed: the timer is gone, and so is the queue the key would have gone to
        }
    }

    /** Hands out no key until {@link #resume()}; a reconcile under way finishes. */
    public synchronized void pause() {
        paused = true;
    }

    public synchronized void resume() {
        paused = false;
        notifyAll();
    }

    public synchronized boolean paused() {
        return paused;
    }

    /** Keys queued or being reconciled. */
    public synchronized int depth() {
        return queued.size() + processing.size();
    }

    /** Failed attempts of {@code key} since its last success (0 when none). */
    public synchronized int attempts(String key) {
        return failures.getOrDefault(key, 0);
    }

    /** The delay before the given failed attempt is retried: base doubled per attempt, at most the cap. */
    public static Duration backoff(Duration base, Duration max, int attempts) {
        int shift = Math.min(Math.max(attempts - 1, 0), 30);
        long millis = base.toMillis() << shift;
        return millis <= 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis);
    }

    @Override
    public void close() {
        List<Thread> running;
        synchronized (this) {
            closed = true;
            notifyAll();
            running = List.copyOf(workers);
        }
        timers.shutdownNow();
        running.forEach(Thread::interrupt);
    }

    private synchronized String take() throws InterruptedException {
        while ((queued.isEmpty() || paused) && !closed) {
            wait();
        }
        if (closed) {
            return null;
        }
        Iterator<Map.Entry<String, Long>> it = queued.entrySet().iterator();
        Map.Entry<String, Long> next = it.next();
        it.remove();
        processing.add(next.getKey());
        queueLatency.record(System.nanoTime() - next.getValue(), TimeUnit.NANOSECONDS);
        return next.getKey();
    }

    private synchronized void done(String key) {
        processing.remove(key);
        Long since = dirtyWhileProcessing.remove(key);
        if (since != null && !closed) {
            queued.putIfAbsent(key, since);
            notifyAll();
        }
    }

    private void work() {
        while (true) {
            String key;
            try {
                key = take();
            } catch (InterruptedException e) {
                return;
            }
            if (key == null) {
                return;
            }
            long start = System.nanoTime();
            try {
                Result result = reconciler.reconcile(key);
                synchronized (this) {
                    failures.remove(key);
                }
                if (result != null && result.requeueAfter() != null) {
                    addAfter(key, result.requeueAfter());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                failed(key, e);
            } finally {
                workDuration.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                done(key);
            }
        }
    }

    private void failed(String key, Exception e) {
        int attempts;
        synchronized (this) {
            if (closed) {
                return;
            }
            attempts = failures.merge(key, 1, Integer::sum);
        }
        retries.increment();
        Duration delay = backoff(baseDelay, maxDelay, attempts);
        if (attempts == 1) {
            LOG.warn("{}: reconciling {} failed (retry in {} ms)", name, key, delay.toMillis(), e);
        } else {
            LOG.warn("{}: reconciling {} failed (attempt {}, retry in {} ms): {}", name, key, attempts,
                    delay.toMillis(), e.toString());
        }
        if (failureListener != null) {
            try {
                failureListener.failed(key, attempts, e);
            } catch (RuntimeException listenerError) {
                LOG.warn("{}: reporting the failure of {} failed", name, key, listenerError);
            }
        }
        addAfter(key, delay);
    }

    public static final class Builder {
        private final String name;
        private final Reconciler reconciler;
        private int workers = 1;
        private Duration baseDelay = Duration.ofMillis(100);
        private Duration maxDelay = Duration.ofSeconds(30);
        private MeterRegistry meters;
        private FailureListener failureListener;
        private boolean startPaused;

        private Builder(String name, Reconciler reconciler) {
            this.name = Objects.requireNonNull(name);
            this.reconciler = Objects.requireNonNull(reconciler);
        }

        public Builder workers(int n) {
            if (n < 1) {
                throw new IllegalArgumentException(name + ": at least one worker, not " + n);
            }
            this.workers = n;
            return this;
        }

        /** First retry after {@code base}, doubling per failed attempt up to {@code max}. */
        public Builder backoff(Duration base, Duration max) {
            if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
                throw new IllegalArgumentException(name + ": backoff needs 0 < base <= max");
            }
            this.baseDelay = base;
            this.maxDelay = max;
            return this;
        }

        public Builder meters(MeterRegistry registry) {
            this.meters = registry;
            return this;
        }

        public Builder onFailure(FailureListener listener) {
            this.failureListener = listener;
            return this;
        }

        /** Hands out no key until {@link ControlLoop#resume()}: for a replica that is not leading yet. */
        public Builder startPaused() {
            this.startPaused = true;
            return this;
        }

        public ControlLoop build() {
            return new ControlLoop(this);
        }
    }
}
