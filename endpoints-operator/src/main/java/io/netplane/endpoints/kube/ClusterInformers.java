package io.netplane.endpoints.kube;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.netplane.endpoints.views.PodInputs;
import io.netplane.runtime.kube.Informers;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One shared, cluster-wide informer per watched kind. Created stopped, so every consumer (the streams, the slice
 * controller) registers its handlers and indexers before the first list; {@link #start()} then starts them all.
 * Pods are cached trimmed to the fields this operator reads.
 */
@ApplicationScoped
public class ClusterInformers {
    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<Pod> pods;
    private final SharedIndexInformer<Node> nodes;
    private final SharedIndexInformer<EndpointSlice> endpointSlices;
    private final SharedIndexInformer<Endpoints> endpoints;

    @Inject
    public ClusterInformers(KubernetesClient client) {
        this.services = client.services().inAnyNamespace().runnableInformer(0);
        this.pods = client.pods().inAnyNamespace().runnableInformer(0).itemStore(new TrimmedPods());
        this.nodes = client.nodes().runnableInformer(0);
        this.endpointSlices = client.discovery().v1().endpointSlices().inAnyNamespace().runnableInformer(0);
        this.endpoints = client.endpoints().inAnyNamespace().runnableInformer(0);
    }

    /**
     * The Pod cache keeps {@link PodInputs#trim trimmed} Pods: the largest cache of the operator, and no reader needs
     * more than its views' fields.
     */
    private static final class TrimmedPods extends BasicItemStore<Pod> {
        TrimmedPods() {
            super(Cache::metaNamespaceKeyFunc);
        }

        @Override
        public Pod put(String key, Pod pod) {
            return super.put(key, PodInputs.trim(pod));
        }
    }

    public SharedIndexInformer<Service> services() {
        return services;
    }

    public SharedIndexInformer<Pod> pods() {
        return pods;
    }

    public SharedIndexInformer<Node> nodes() {
        return nodes;
    }

    public SharedIndexInformer<EndpointSlice> endpointSlices() {
        return endpointSlices;
    }

    public SharedIndexInformer<Endpoints> endpoints() {
        return endpoints;
    }

    private List<SharedIndexInformer<?>> all() {
        return List.of(services, pods, nodes, endpointSlices, endpoints);
    }

    /**
     * Starts every informer; completes when all have listed (synced). A failing list or watch (API server not
     * reachable yet, RBAC not applied yet) is logged and retried by the informer instead of stopping it.
     */
    public CompletableFuture<Void> start() {
        return Informers.startRetrying(all());
    }

    /** Every informer has synced and is watching. */
    public boolean isWatching() {
        return all().stream().allMatch(i -> i.hasSynced() && i.isWatching());
    }

    @PreDestroy
    void stop() {
        all().forEach(SharedIndexInformer::stop);
    }
}
