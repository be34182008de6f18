package io.netplane.runtime.kube;

import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starting informers so that a failing first list (an API server that is slow, not reachable yet, or RBAC not applied
 * yet) is logged and retried instead of stopping the informer for good: fabric8's default gives up on an error
 * before the first sync, which left a component running, never ready, and watching nothing.
 */
public final class Informers {
    private static final Logger LOG = LoggerFactory.getLogger(Informers.class);

    private Informers() {
    }

    /** Starts every informer; completes when all have listed once. */
    public static CompletableFuture<Void> startRetrying(Collection<? extends SharedIndexInformer<?>> informers) {
        informers.forEach(i -> i.exceptionHandler((started, error) -> {
            LOG.warn("informer for {}: {}; retrying", i.getApiTypeClass().getSimpleName(), error.toString());
            return true;
        }));
        return CompletableFuture.allOf(informers.stream().map(i -> i.start().toCompletableFuture())
                .toArray(CompletableFuture[]::new));
    }
}
