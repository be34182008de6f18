package io.netplane.runtime.control;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The informer side of a {@link ControlLoop}: an event handler that only queues the keys an object maps to (its
 * own, or those of the objects it affects); the reconcile reads the state. An update maps the new object; a delete
 * may first keep what the reconcile of a gone object needs.
 */
public final class QueueingHandler<T extends HasMetadata> implements ResourceEventHandler<T> {
    private final Function<? super T, ? extends Collection<String>> keys;
    private final Consumer<Collection<String>> queue;
    private final Consumer<? super T> onDelete;

    private QueueingHandler(Function<? super T, ? extends Collection<String>> keys, Consumer<Collection<String>> queue,
            Consumer<? super T> onDelete) {
        this.keys = keys;
        this.queue = queue;
        this.onDelete = onDelete;
    }

    /** Queues each object's own {@code namespace/name} (or name) on {@code loop}. */
    public static <T extends HasMetadata> QueueingHandler<T> ownKey(ControlLoop loop) {
        return new QueueingHandler<>(o -> List.of(Cache.metaNamespaceKeyFunc(o)), loop::addAll, o -> { });
    }

    /** Queues the keys {@code keys} maps each object to. */
    public static <T extends HasMetadata> QueueingHandler<T> mapped(Function<? super T, ? extends Collection<String>> keys,
            Consumer<Collection<String>> queue) {
        return new QueueingHandler<>(keys, queue, o -> { });
    }

    /** The same handler, calling {@code beforeQueued} with a deleted object before its keys are queued. */
    public QueueingHandler<T> onDelete(Consumer<? super T> beforeQueued) {
        return new QueueingHandler<>(keys, queue, beforeQueued);
    }

    @Override
    public void onAdd(T object) {
        queue.accept(keys.apply(object));
    }

    @Override
    public void onUpdate(T before, T after) {
        queue.accept(keys.apply(after));
    }

    @Override
    public void onDelete(T object, boolean finalStateUnknown) {
        onDelete.accept(object);
        queue.accept(keys.apply(object));
    }
}
