package io.netplane.ingress.reconciler;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netplane.api.events.RouteView;
import io.netplane.api.report.Problem;
import io.netplane.ingress.compile.Compilation;
import io.netplane.ingress.compile.IngressClassInput;
import io.netplane.ingress.compile.RouteCompiler;
import io.netplane.ingress.compile.ServiceInput;
import io.netplane.ingress.config.IngressConfig;
import io.netplane.ingress.routing.Conflict;
import io.netplane.ingress.routing.RouteTable;
import io.netplane.ingress.tls.SecretRef;
import io.netplane.runtime.control.ControlLoop.Result;
import io.netplane.runtime.events.EventRecorder;
import io.netplane.runtime.events.Subject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Reconciles one Ingress key for the control loop: compiles the Ingress as the informers last saw it (class
 * resolution, Service ports, TLS Secret references) and, when it belongs to a class of this controller, publishes
 * its routes, writes its load-balancer status and reports what it cannot serve as Events; otherwise tombstones any
 * routes it had and takes back the status it had written. An Ingress no longer in the informer's store is withdrawn
 * (its routes tombstoned, its Events forgotten) once the API confirms it is gone: no finalizer is put on Ingresses
 * (they are not all ours), and a key can also come from the route sweep, for a delete missed while the controller
 * was down. A failure (Kafka, the status write) is thrown, and the loop retries the key with backoff.
 */
final class IngressReconciler {
    private static final Logger LOG = Logger.getLogger(IngressReconciler.class);
    static final String API_VERSION = "networking.k8s.io/v1";
    static final String KIND = "Ingress";

    private final IngressConfig config;
    private final KubernetesClient client;
    private final IngressInformers informers;
    private final RoutePublisher publisher;
    private final EventRecorder recorder;
    private final IngressStatusWriter status;
    private final Clock clock;

    IngressReconciler(IngressConfig config, KubernetesClient client, IngressInformers informers,
            RoutePublisher publisher, EventRecorder recorder, Clock clock) {
        this.config = config;
        this.client = client;
        this.informers = informers;
        this.publisher = publisher;
        this.recorder = recorder;
        this.status = new IngressStatusWriter(client);
        this.clock = clock;
    }

    Result reconcile(String key) throws Exception {
        var ingress = informers.ingress(key);
        if (ingress.isEmpty()) {
            withdrawIfGone(key);
            return Result.DONE;
        }
        reconcile(key, ingress.get());
        return Result.DONE;
    }

    private void reconcile(String key, Ingress ingress) throws Exception {
        String ns = ingress.getMetadata().getNamespace();
        List<IngressClassInput> classList = informers.classes().stream().map(IngressInputs::of).toList();
        Map<String, ServiceInput> serviceMap = informers.servicesIn(ns).stream()
                .collect(Collectors.toMap(s -> s.getMetadata().getName(), IngressInputs::of, (a, b) -> a));
        Set<String> tlsSecrets = informers.tlsSecretsIn(ns).stream().filter(IngressInputs::isTls)
                .map(s -> s.getMetadata().getName()).collect(Collectors.toSet());
        Compilation compiled = RouteCompiler.compile(IngressInputs.of(ingress), classList, serviceMap, tlsSecrets,
                config.controllerName(), clock.instant());
        List<IngressLoadBalancerIngress> addresses = IngressStatusWriter.addresses(
                config.controller().statusAddresses().orElse(List.of()), publishService(),
                config.gateway().enabled() ? config.gateway().host() : null);
        // the Events come last: reporting the Ingress's problems takes every other problem as resolved, so a
        // reconcile that then failed would resolve the loop's SyncFailed and have it written again on every retry
        if (!compiled.served()) {
            publisher.tombstone(key);
            status.clearIfOurs(ingress, addresses);
            recorder.report(Subject.of(ingress), compiled.problems());
            return;
        }
        publisher.publish(compiled.route());
        status.write(ingress, addresses);
        List<Problem> problems = new ArrayList<>(compiled.problems());
        problems.addAll(conflictsLostBy(compiled.route(), publisher.publishedRoutes()));
        recorder.report(Subject.of(ingress), problems);
    }

    /**
     * The Ingress is not in the informer's store: deleted, or (for a key from the sweep or the informer lagging
     * behind) perhaps not. Routes are tombstoned only when the API confirms it is gone.
     */
    private void withdrawIfGone(String key) throws Exception {
        String namespace = key.substring(0, key.indexOf('/'));
        String name = key.substring(key.indexOf('/') + 1);
        if (publisher.publishedKeys().contains(key)) {
            if (client.network().v1().ingresses().inNamespace(namespace).withName(name).get() != null) {
                return; // still there: the informer's add event brings it here again
            }
            publisher.tombstone(key);
            LOG.infof("Ingress %s is gone; its routes were withdrawn", key);
        }
        recorder.forget(new Subject(API_VERSION, KIND, namespace, name, null));
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
                problems.add(Problem.warning("RouteConflict", conflict.describe()));
            }
        }
        return problems;
    }

    private Service publishService() {
        return config.controller().publishService().map(SecretRef::parse)
                .flatMap(ref -> informers.service(ref.namespace(), ref.name())).orElse(null);
    }
}
