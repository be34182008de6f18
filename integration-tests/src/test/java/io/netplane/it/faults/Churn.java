package io.netplane.it.faults;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The steady stream of changes the faults land in: a Service with an Ingress host made, the oldest deleted, the
 * churn Deployment scaled between 2 and 4 Pods, a NetworkPolicy over its Pods (admitting the Pods labelled
 * {@code access: allowed} and the ingress gateway's namespace) made and deleted, one change every
 * {@value #PAUSE_MS} ms. A change the API refuses or cannot take (a fault) is counted and the stream goes on; the
 * checks compare the consumers with what the API holds, not with what was sent. {@link #hold()} stops it between two
 * changes while the checks read the truth.
 */
final class Churn implements Runnable {
    static final int PAUSE_MS = 400;
    static final String APP = "churn";
    static final String POLICY = "churn-guard";
    private static final int LIVE = 5;

    private final KubernetesClient kube;
    private final String ns;
    private final ReentrantLock turn = new ReentrantLock();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Deque<String> live = new ArrayDeque<>();
    private final Set<String> recent = new TreeSet<>();
    private final Thread thread;
    private int step;
    private int replicas = 2;
    private boolean policy;
    private long changes;
    private long refused;
    private String lastError = "";

    Churn(KubernetesClient kube, String ns) {
        this.kube = kube;
        this.ns = ns;
        this.thread = new Thread(this, "fault-churn");
    }

    void start() {
        thread.start();
    }

    void stop() throws InterruptedException {
        running.set(false);
        thread.join(30_000);
    }

    /** Blocks the stream between two changes; {@link #release()} lets it go on. */
    void hold() {
        turn.lock();
    }

    void release() {
        turn.unlock();
    }

    /**
     * The Service names to check, read while held: the live ones and every one made since {@link #checked()} (those
     * deleted since then included; older deletes were checked before).
     */
    Set<String> toCheck() {
        Set<String> out = new TreeSet<>(recent);
        out.addAll(live);
        return out;
    }

    /** The names of {@link #toCheck()} converged: from now on only newer ones and the live ones are checked. */
    void checked() {
        recent.clear();
    }

    synchronized String counts() {
        return changes + " changes, " + refused + " refused or failed" + (lastError.isEmpty() ? "" : " (last: " + lastError + ")");
    }

    @Override
    public void run() {
        while (running.get()) {
            turn.lock();
            try {
                change();
                synchronized (this) {
                    changes++;
                }
            } catch (RuntimeException e) {
                synchronized (this) {
                    refused++;
                    lastError = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
                    if (lastError.length() > 160) {
                        lastError = lastError.substring(0, 160);
                    }
                }
            } finally {
                turn.unlock();
            }
            try {
                Thread.sleep(PAUSE_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void change() {
        switch (step++ % 6) {
            case 0, 3 -> {
                String name = "churn-" + step;
                recent.add(name);
                apply(service(name));
                live.addLast(name);
                apply(ingress(name));
            }
            case 1, 4 -> {
                if (live.size() > LIVE) {
                    String name = live.peekFirst();
                    kube.network().v1().ingresses().inNamespace(ns).withName(name).delete();
                    kube.services().inNamespace(ns).withName(name).delete();
                    live.removeFirst();
                }
            }
            case 2 -> {
                int next = replicas == 2 ? 4 : 2;
                kube.apps().deployments().inNamespace(ns).withName(APP).scale(next);
                replicas = next;
            }
            default -> {
                if (policy) {
                    kube.network().networkPolicies().inNamespace(ns).withName(POLICY).delete();
                } else {
                    apply(policy());
                }
                policy = !policy;
            }
        }
    }

    static String host(String service) {
        return service + ".faults.example";
    }

    private String service(String name) {
        return """
                apiVersion: v1
                kind: Service
                metadata: {name: %s, namespace: %s, labels: {churn: "true"}}
                spec:
                  selector: {app: %s}
                  ports: [{name: http, port: 80, targetPort: 8080}]
                """.formatted(name, ns, APP);
    }

    private String ingress(String name) {
        return """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: %1$s, namespace: %2$s}
                spec:
                  ingressClassName: netplane
                  rules:
                    - host: %3$s
                      http:
                        paths:
                          - {path: /hostname, pathType: Exact, backend: {service: {name: %1$s, port: {number: 80}}}}
                """.formatted(name, ns, host(name));
    }

    private String policy() {
        return """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: %s, namespace: %s}
                spec:
                  podSelector: {matchLabels: {app: %s}}
                  policyTypes: [Ingress]
                  ingress:
                    - from:
                        - podSelector: {matchLabels: {access: allowed}}
                        - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: netplane-system}}
                """.formatted(POLICY, ns, APP);
    }

    private void apply(String yaml) {
        apply(kube, yaml);
    }

    /** Server-side apply of every object in the YAML. */
    static void apply(KubernetesClient kube, String yaml) {
        for (HasMetadata resource : kube.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items()) {
            kube.resource(resource).forceConflicts().serverSideApply();
        }
    }

    /** Waits until the stream's Deployment exists with its Pods Ready (before the first fault). */
    void awaitDeployment() {
        kube.apps().deployments().inNamespace(ns).withName(APP).waitUntilCondition(d -> d != null && d.getStatus() != null
                && Integer.valueOf(d.getSpec().getReplicas()).equals(d.getStatus().getReadyReplicas()), 3, TimeUnit.MINUTES);
    }
}
