package io.netplane.ingress.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.netplane.api.events.RouteView;
import io.netplane.ingress.compile.Compilation;
import io.netplane.ingress.compile.IngressClassInput;
import io.netplane.ingress.compile.Problem;
import io.netplane.ingress.compile.RouteCompiler;
import io.netplane.ingress.compile.ServiceInput;
import io.netplane.ingress.config.IngressConfig;
import io.netplane.ingress.routing.Conflict;
import io.netplane.ingress.routing.RouteTable;
import io.netplane.ingress.tls.SecretRef;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Reconciles every Ingress: compiles it (class resolution, Service ports, TLS Secret references) and, when it
 * belongs to a class of this controller, publishes its routes, writes its load-balancer status and reports
 * what it cannot serve as Events; otherwise tombstones any routes it had. IngressClass, Service and TLS Secret
 * changes re-reconcile the Ingresses they affect. No finalizer is put on Ingresses (they are not all ours): a
 * delete event withdraws the routes at once; a periodic sweep that confirms deletions with the API catches any
 * delete event that was missed. Only the leader ({@link ControllerService#leading()}) does any of this; a new leader
 * reconciles every Ingress.
 */
@ControllerConfiguration(name = "ingress")
public class IngressReconciler implements Reconciler<Ingress> {
    private static final Logger LOG = Logger.getLogger(IngressReconciler.class);

    @Inject
    IngressConfig config;

    @Inject
    KubernetesClient client;

    @Inject
    ControllerService controller;

    private final Clock clock = Clock.systemUTC();
    private IndexerResourceCache<Ingress> primaries;
    private InformerEventSource<IngressClass, Ingress> classes;
    private InformerEventSource<Service, Ingress> services;
    private InformerEventSource<Secret, Ingress> secrets;
    private IngressEvents events;
    private IngressStatusWriter status;
    private ScheduledExecutorService sweeper;
    private SharedIndexInformer<Ingress> deletions;
    private SimpleInboundEventSource<Ingress> resync;

    @Override
    public List<EventSource<?, Ingress>> prepareEventSources(EventSourceContext<Ingress> context) {
        primaries = context.getPrimaryCache();
        classes = new InformerEventSource<>(InformerEventSourceConfiguration.from(IngressClass.class, Ingress.class)
                .withName("ingressclasses")
                .withSecondaryToPrimaryMapper(c -> allIngresses()).build(), context);
        services = new InformerEventSource<>(InformerEventSourceConfiguration.from(Service.class, Ingress.class)
                .withName("services")
                .withSecondaryToPrimaryMapper(this::ingressesUsingService).build(), context);
        secrets = new InformerEventSource<>(InformerEventSourceConfiguration.from(Secret.class, Ingress.class)
                .withName("tls-secrets")
                .withFieldSelector(new FieldSelector(new FieldSelector.Field("type", "kubernetes.io/tls")))
                .withSecondaryToPrimaryMapper(this::ingressesUsingSecret).build(), context);
        events = new IngressEvents(client, clock);
        status = new IngressStatusWriter(client);
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ingress-route-sweeper");
            t.setDaemon(true);
            return t;
        });
        long sweepMillis = config.controller().sweepInterval().toMillis();
        sweeper.scheduleWithFixedDelay(this::sweep, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
        deletions = client.network().v1().ingresses().inAnyNamespace().inform(new DeleteHandler());
        resync = new SimpleInboundEventSource<>("leader-resync");
        controller.onLeading(this::reconcileAll);
        return List.of(classes, services, secrets, resync);
    }

    /** A new leader reconciles every Ingress: what changed while it was a standby was skipped here. */
    private void reconcileAll() {
        primaries.list().forEach(i -> resync.propagateEvent(ResourceID.fromResource(i)));
    }

    @Override
    public UpdateControl<Ingress> reconcile(Ingress ingress, Context<Ingress> context) throws Exception {
        if (!controller.leading()) {
            return UpdateControl.noUpdate(); // the leader publishes and writes; this replica reconciles on takeover
        }
        String ns = ingress.getMetadata().getNamespace();
        List<IngressClassInput> classList = classes.list(c -> true).map(IngressInputs::of).toList();
        Map<String, ServiceInput> serviceMap = services.list(ns, s -> true)
                .collect(Collectors.toMap(s -> s.getMetadata().getName(), IngressInputs::of, (a, b) -> a));
        Set<String> tlsSecrets = secrets.list(ns, IngressInputs::isTls).map(s -> s.getMetadata().getName())
                .collect(Collectors.toSet());
        Compilation compiled = RouteCompiler.compile(IngressInputs.of(ingress), classList, serviceMap, tlsSecrets,
                config.controllerName(), clock.instant());
        RoutePublisher publisher = controller.publisher();
        String key = ns + "/" + ingress.getMetadata().getName();
        var addresses = IngressStatusWriter.addresses(config.controller().statusAddresses().orElse(List.of()),
                publishService(), config.gateway().enabled() ? config.gateway().host() : null);
        if (!compiled.served()) {
            publisher.tombstone(key);
            events.report(ingress, compiled.problems());
            status.clearIfOurs(ingress, addresses);
            return UpdateControl.noUpdate();
        }
        publisher.publish(compiled.route());
        List<Problem> problems = new ArrayList<>(compiled.problems());
        problems.addAll(conflictsLostBy(compiled.route(), publisher.publishedRoutes()));
        events.report(ingress, problems);
        status.write(ingress, addresses);
        return UpdateControl.noUpdate();
    }

    /** Conflicts in the Ingress's class that this Ingress loses, as Problems for its Events. */
    static List<Problem> conflictsLostBy(RouteView route, List<RouteView> published) {
        List<RouteView> sameClass = published.stream()
                .filter(r -> Objects.equals(r.ingressClassName(), route.ingressClassName()) && !r.key().equals(route.key()))
                .collect(Collectors.toCollection(ArrayList::new));
        sameClass.add(route);
        List<Problem> problems = new ArrayList<>();
        for (Conflict conflict : RouteTable.build(sameClass, null).conflicts()) {
            if (conflict.loser().key().equals(route.key()) && !conflict.winner().key().equals(route.key())) {
                problems.add(new Problem("RouteConflict", conflict.describe()));
            }
        }
        return problems;
    }

    private Service publishService() {
        return config.controller().publishService().map(SecretRef::parse)
                .flatMap(ref -> services.get(new ResourceID(ref.name(), ref.namespace()))).orElse(null);
    }

    private Set<ResourceID> allIngresses() {
        return primaries.list().map(ResourceID::fromResource).collect(Collectors.toSet());
    }

    private Set<ResourceID> ingressesUsingService(Service service) {
        String publish = config.controller().publishService().orElse(null);
        if (publish != null && publish.equals(keyOf(service))) {
            return allIngresses();
        }
        String name = service.getMetadata().getName();
        return primaries.list(service.getMetadata().getNamespace(), i -> usesService(IngressInputs.of(i), name))
                .map(ResourceID::fromResource).collect(Collectors.toSet());
    }

    private static boolean usesService(io.netplane.ingress.compile.IngressInput ingress, String service) {
        boolean inRules = ingress.rules().stream().flatMap(r -> r.paths().stream())
                .anyMatch(p -> p.backend() != null && service.equals(p.backend().serviceName()));
        return inRules || (ingress.defaultBackend() != null && service.equals(ingress.defaultBackend().serviceName()));
    }

    private Set<ResourceID> ingressesUsingSecret(Secret secret) {
        String name = secret.getMetadata().getName();
        return primaries.list(secret.getMetadata().getNamespace(),
                        i -> IngressInputs.of(i).tls().stream().anyMatch(t -> name.equals(t.secretName())))
                .map(ResourceID::fromResource).collect(Collectors.toSet());
    }

    private static String keyOf(HasMetadata object) {
        return object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
    }

    /**
     * Withdraws a deleted Ingress's routes on its delete event. Its own watch, because Quarkus Operator SDK 7.4.0
     * drops {@code triggerReconcilerOnAllEvents} (its configuration does not pass it on to JOSDK), so the
     * reconciler never sees deletes.
     */
    private final class DeleteHandler implements ResourceEventHandler<Ingress> {
        @Override
        public void onAdd(Ingress ingress) {
        }

        @Override
        public void onUpdate(Ingress before, Ingress after) {
        }

        @Override
        public void onDelete(Ingress ingress, boolean finalStateUnknown) {
            if (controller.publisher() == null || !controller.leading()) {
                return;
            }
            try {
                withdraw(keyOf(ingress), "deleted");
            } catch (Exception e) {
                LOG.warnf("withdrawing the routes of deleted Ingress %s failed (the sweep retries): %s",
                        keyOf(ingress), e.getMessage());
            }
        }
    }

    /** Tombstones the routes of an Ingress that no longer exists. */
    private void withdraw(String key, String why) throws Exception {
        RoutePublisher publisher = controller.publisher();
        if (publisher.publishedKeys().contains(key)) {
            publisher.tombstone(key);
            LOG.infof("Ingress %s is %s; its routes were withdrawn", key, why);
        }
        events.forget(key);
    }

    /**
     * Tombstones published routes whose Ingress the API confirms is gone: the safety net for delete events missed
     * while the controller was down or its watch was reconnecting.
     */
    void sweep() {
        RoutePublisher publisher = controller.publisher();
        if (publisher == null || !controller.leading()) {
            return;
        }
        for (String key : publisher.publishedKeys()) {
            try {
                String namespace = key.substring(0, key.indexOf('/'));
                String name = key.substring(key.indexOf('/') + 1);
                if (primaries.get(new ResourceID(name, namespace)).isPresent()) {
                    continue;
                }
                if (client.network().v1().ingresses().inNamespace(namespace).withName(name).get() == null) {
                    withdraw(key, "gone (sweep)");
                }
            } catch (Exception e) {
                LOG.warnf("route sweep of %s failed: %s", key, e.getMessage());
            }
        }
    }
}
