package io.netplane.ingress.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.netplane.runtime.control.QueueingHandler;
import io.netplane.runtime.kube.Informers;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The controller's caches: one cluster-wide informer each for Ingresses, IngressClasses, Services and TLS Secrets
 * ({@code type=kubernetes.io/tls}, a field selector, so other Secrets are never listed). Created stopped, so that the
 * handlers that queue Ingress keys are in place before the first list; the reconciler reads only these stores.
 */
final class IngressInformers {
    static final String TLS_SECRET_TYPE = "kubernetes.io/tls";

    private final SharedIndexInformer<Ingress> ingresses;
    private final SharedIndexInformer<IngressClass> classes;
    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<Secret> secrets;

    IngressInformers(KubernetesClient client) {
        this.ingresses = client.network().v1().ingresses().inAnyNamespace().runnableInformer(0);
        this.classes = client.network().v1().ingressClasses().runnableInformer(0);
        this.services = client.services().inAnyNamespace().runnableInformer(0);
        this.secrets = client.secrets().inAnyNamespace().withField("type", TLS_SECRET_TYPE).runnableInformer(0);
    }

    /**
     * Every add, update and delete of an Ingress queues its key; of an IngressClass, Service or TLS Secret, the keys
     * of the Ingresses it affects, as {@code affected} maps them.
     */
    void onChanges(Consumer<Collection<String>> queue, IngressKeys affected) {
        ingresses.addEventHandler(QueueingHandler.mapped(i -> List.of(Cache.metaNamespaceKeyFunc(i)), queue));
        classes.addEventHandler(QueueingHandler.mapped(c -> affected.all(), queue));
        services.addEventHandler(QueueingHandler.mapped(affected::usingService, queue));
        secrets.addEventHandler(QueueingHandler.mapped(affected::usingSecret, queue));
    }

    /** Starts every informer; completes once all have listed. A failing list is logged and retried. */
    CompletableFuture<Void> start() {
        return Informers.startRetrying(all());
    }

    void stop() {
        all().forEach(SharedIndexInformer::stop);
    }

    /** The Ingress {@code namespace/name} as last seen, or empty when it is not (or no longer) there. */
    Optional<Ingress> ingress(String key) {
        return Optional.ofNullable(ingresses.getStore().getByKey(key));
    }

    List<String> ingressKeys() {
        return ingresses.getStore().listKeys();
    }

    List<Ingress> ingressesIn(String namespace) {
        return ingresses.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace);
    }

    List<IngressClass> classes() {
        return classes.getStore().list();
    }

    List<Service> servicesIn(String namespace) {
        return services.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace);
    }

    Optional<Service> service(String namespace, String name) {
        return Optional.ofNullable(services.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name)));
    }

    List<Secret> tlsSecretsIn(String namespace) {
        return secrets.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace);
    }

    private List<SharedIndexInformer<?>> all() {
        return List.of(ingresses, classes, services, secrets);
    }
}
