package io.netplane.endpoints.reconciler;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A de-duplicating key queue in the manner of client-go's workqueue: a key is queued at most once, is handed to one
 * worker at a time, and a key added while it is being processed is queued again when the worker is done with it.
 */
final class WorkQueue implements AutoCloseable {
    private final Set<String> queued = new LinkedHashSet<>();
    private final Set<String> processing = new HashSet<>();
    private final Set<String> dirtyWhileProcessing = new HashSet<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "slice-queue-timer");
        t.setDaemon(true);
        return t;
    });
    private boolean closed;
    private boolean paused;

    synchronized void add(String key) {
        if (closed) {
            return;
        }
        if (processing.contains(key)) {
            dirtyWhileProcessing.add(key);
            return;
        }
        if (queued.add(key)) {
            notifyAll();
        }
    }

    /** Adds {@code key} after a delay; nothing once closed (a retry scheduled while shutting down is dropped). */
    void addAfter(String key, long millis) {
        try {
            timers.schedule(() -> add(key), millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed: the timer is gone, and so is the queue the key would have gone to
        }
    }

    /** The next key, marked as processing; null once closed. Waits while paused. */
    synchronized String take() throws InterruptedException {
        while ((queued.isEmpty() || paused) && !closed) {
            wait();
        }
        if (closed) {
            return null;
        }
        var it = queued.iterator();
        String key = it.next();
        it.remove();
        processing.add(key);
        return key;
    }

    synchronized void done(String key) {
        processing.remove(key);
        if (dirtyWhileProcessing.remove(key)) {
            queued.add(key);
            notifyAll();
        }
    }

    /** Hands out no key until {@link #resume()}; keys are still queued (and de-duplicated) meanwhile. */
    synchronized void pause() {
        paused = true;
    }

    synchronized void resume() {
        paused = false;
        notifyAll();
    }

    synchronized int depth() {
        return queued.size() + processing.size();
    }

    @Override
    public synchronized void close() {
        closed = true;
        timers.shutdownNow();
        notifyAll();
    }
}
