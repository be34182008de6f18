package io.netplane.it.olm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.netplane.testing.cluster.LocalCluster;
import io.netplane.testing.cluster.Netexec;
import io.netplane.testing.kube.SourceTree;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Netplane installed the way users install it: through OLM on the local cluster, from the catalog that
 * {@code hack/olm/olm.sh} serves with {@code opm} (the bundles of bundle/), with the Subscription and the Netplane
 * resource of {@code hack/cluster/olm} (what the README's "Install with OLM" runs). The first release is installed,
 * then upgraded to the next with traffic flowing, then uninstalled. Everything here is real: OLM's two operators,
 * kubelets running the Pods, node-proxy's nftables rules, dns-service answering the Pods' resolvers.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OlmInstallIT {
    private static final String NS = "olm-e2e";
    private static final String INSTALL_NS = "netplane-system";
    private static final String AGNHOST = "registry.k8s.io/e2e-test-images/agnhost:2.66.1";
    private static final String FIRST = "netplane.v0.0.1";
    private static final String NEXT = "netplane.v0.1.0";
    private static final Path REPO = SourceTree.root().orElseThrow();

    private static LocalCluster cluster;
    private static KubernetesClient kube;
    private static String client;

    @BeforeAll
    static void olmAndTheCatalog() {
        cluster = LocalCluster.withOlm();
        kube = cluster.newClient();
        await("the catalog is READY").atMost(Duration.ofMinutes(2)).untilAsserted(() ->
                assertThat(field(olm("v1alpha1", "CatalogSource").inNamespace("olm").withName("netplane").get(),
                        "status", "connectionState", "lastObservedState")).isEqualTo("READY"));
    }

    @AfterAll
    static void close() {
        if (kube != null) {
            kube.close();
        }
    }

    @Test
    @Order(1)
    void installsTheFirstReleaseFromTheCatalog() throws IOException {
        // the README's Subscription, pinned to the first release and approved by hand so that the upgrade is the test's
        GenericKubernetesResource subscription = load(Files.readString(REPO.resolve("hack/cluster/olm/subscription.yaml"))).get(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) subscription.getAdditionalProperties().get("spec");
        spec.put("startingCSV", FIRST);
        spec.put("installPlanApproval", "Manual");
        kube.resource(subscription).forceConflicts().serverSideApply();
        approveInstallPlanFor(FIRST);

        // the install operator's resource, as soon as OLM has created its CRD: the components start once it is there
        await("OLM created the Netplane CRD").atMost(Duration.ofMinutes(3)).until(() ->
                kube.apiextensions().v1().customResourceDefinitions().withName("netplanes.netplane.io").get() != null);
        kube.apiextensions().v1().customResourceDefinitions().withName("netplanes.netplane.io")
                .waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions().stream()
                        .anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())), 1, TimeUnit.MINUTES);
        for (GenericKubernetesResource r : load(Files.readString(REPO.resolve("hack/cluster/olm/netplane.yaml")))) {
            kube.resource(r).forceConflicts().serverSideApply();
        }
        cluster.wire(); // ipam-service gave the Nodes their podCIDRs: the CNI networks and routes

        long t0 = System.nanoTime();
        awaitCsvSucceeded(FIRST);
        System.out.printf("[olm] %s Succeeded %d s after the CNI networks were written%n", FIRST,
                (System.nanoTime() - t0) / 1_000_000_000);
        for (Deployment d : kube.apps().deployments().inNamespace(INSTALL_NS).list().getItems()) {
            assertThat(d.getStatus().getReadyReplicas()).as(d.getMetadata().getName() + " ready replicas")
                    .isEqualTo(d.getSpec().getReplicas());
        }
        assertThat(kube.apps().deployments().inNamespace(INSTALL_NS).list().getItems())
                .extracting(d -> d.getMetadata().getName())
                .contains("endpoints-operator", "ipam-service", "dns-service", "ingress-controller", "ingress-gateway",
                        "policy-operator", "install-operator");
        // what OLM cannot install, the install operator made from the Netplane resource
        await("the Netplane resource Ready").atMost(Duration.ofMinutes(5)).untilAsserted(() ->
                assertThat(condition(netplane(), "Ready")).isEqualTo("True"));
        assertThat(kube.apps().daemonSets().inNamespace(INSTALL_NS).withName("node-proxy").get().getStatus()
                .getNumberAvailable()).isEqualTo(cluster.nodes().size());
        assertThat(kube.services().inNamespace(INSTALL_NS).withName("netplane-dns").get().getSpec().getClusterIPs())
                .containsExactly("10.96.0.10", "fd00:10:96::a");
        assertThat(kube.network().v1().ingressClasses().withName("netplane").get()).isNotNull();
        // OLM made the webhook's certificate and configuration
        assertThat(kube.admissionRegistration().v1().mutatingWebhookConfigurations().list().getItems())
                .anyMatch(w -> w.getWebhooks().stream().anyMatch(h -> h.getName().startsWith("services.ipam.netplane.io")));
        // what `kubectl get netplane` shows
        String table = kubectl("get", "netplane");
        System.out.println("[olm] kubectl get netplane:\n" + table);
        assertThat(table.lines().toList()).hasSize(2);
        assertThat(table.lines().toList().get(0)).contains("READY", "PROGRESSING", "DEGRADED");
        assertThat(table.lines().toList().get(1)).startsWith("default").contains("True", "False");

        // ipam-service, installed by OLM, takes the example pool; `kubectl get ipaddresspools` shows it at a glance
        for (GenericKubernetesResource r : load(Files.readString(REPO.resolve("k8s/ipam-service/example-pool.yaml")))) {
            kube.resource(r).forceConflicts().serverSideApply();
        }
        // the pool's 16 + 16 addresses; the ingress gateway's LoadBalancer Service takes its address from it
        await("the gateway's LoadBalancer address").atMost(Duration.ofMinutes(1)).until(() ->
                !kube.services().inNamespace(INSTALL_NS).withName("ingress-gateway").get().getStatus()
                        .getLoadBalancer().getIngress().isEmpty());
        await("the pool's status in kubectl get").atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
            int held = kube.services().inAnyNamespace().list().getItems().stream()
                    .filter(svc -> "LoadBalancer".equals(svc.getSpec().getType()))
                    .mapToInt(svc -> svc.getStatus().getLoadBalancer().getIngress().size()).sum();
            List<String> pools = kubectl("get", "ipaddresspools").lines().toList();
            assertThat(pools.get(0).split("\\s+")).containsSequence("NAME", "VALID", "EXHAUSTED", "SIZE", "USED", "AGE");
            assertThat(pools.get(1).split("\\s+")).containsSequence("default", "True", "False", "32", String.valueOf(held));
        });
        System.out.println("[olm] kubectl get ipaddresspools:\n" + kubectl("get", "ipaddresspools"));
    }

    @Test
    @Order(2)
    void clusterDnsAndServiceTrafficWorkFromAPod() {
        kube.namespaces().withName(NS).withTimeout(120, TimeUnit.SECONDS).delete();
        apply("""
                apiVersion: v1
                kind: Namespace
                metadata: {name: %s}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: server, namespace: %1$s}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: server}}
                  template:
                    metadata: {labels: {app: server}}
                    spec:
                      terminationGracePeriodSeconds: 5
                      topologySpreadConstraints:
                        - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: server}}}
                      containers:
                        - name: netexec
                          image: %2$s
                          args: [netexec, --http-port=8080]
                          readinessProbe: {httpGet: {path: /healthz, port: 8080}, periodSeconds: 1}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: server, namespace: %1$s}
                spec:
                  ipFamilyPolicy: RequireDualStack
                  selector: {app: server}
                  ports: [{name: http, port: 80, targetPort: 8080}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: client, namespace: %1$s}
                spec:
                  terminationGracePeriodSeconds: 1
                  containers:
                    - {name: netexec, image: %2$s, args: [netexec, --http-port=8080]}
                """.formatted(NS, AGNHOST));
        client = kube.pods().inNamespace(NS).withName("client").waitUntilCondition(p -> p != null && p.getStatus()
                .getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())),
                3, TimeUnit.MINUTES).getStatus().getPodIP();
        kube.apps().deployments().inNamespace(NS).withName("server").waitUntilCondition(
                d -> Integer.valueOf(2).equals(d.getStatus().getReadyReplicas()), 3, TimeUnit.MINUTES);
        List<String> targets = new ArrayList<>(kube.services().inNamespace(NS).withName("server").get().getSpec().getClusterIPs());
        targets.add("server." + NS + ".svc.cluster.local");
        for (String target : targets) {
            await("the client reaches the Service at " + target).atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                    assertThat(Netexec.dial(client, "hostname", "http", target, 80, 4).responses())
                            .hasSize(4).allMatch(h -> h.startsWith("server-")));
        }
    }

    @Test
    @Order(3)
    void upgradesToTheNextReleaseWithoutBreakingTraffic() throws InterruptedException {
        // Service traffic through node-proxy (the ClusterIP: node-proxy is not replaced, the Service's endpoints
        // stay) must not break at all; lookups by name go through dns-service, whose Pods are replaced, and are
        // counted and reported (see the README: one in 174 was lost once)
        String ip = kube.services().inNamespace(NS).withName("server").get().getSpec().getClusterIP();
        String name = "server." + NS + ".svc.cluster.local";
        AtomicBoolean stop = new AtomicBoolean();
        Dialer byIp = new Dialer(ip, stop);
        Dialer byName = new Dialer(name, stop);
        Thread ipDialer = new Thread(byIp, "olm-upgrade-dialer-ip");
        Thread nameDialer = new Thread(byName, "olm-upgrade-dialer-name");
        // the server Pods' readiness while it runs: a dial refused with both Pods unready (their probes starved on
        // a loaded machine) is not node-proxy's doing, and the failure message should say which it was
        List<String> readiness = new java.util.concurrent.CopyOnWriteArrayList<>();
        Map<String, String> lastReady = new java.util.concurrent.ConcurrentHashMap<>();
        Watch podWatch = kube.pods().inNamespace(NS).withLabel("app", "server").watch(new Watcher<Pod>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                String ready = pod.getStatus() == null ? "?" : pod.getStatus().getConditions().stream()
                        .filter(c -> "Ready".equals(c.getType())).map(c -> c.getStatus()).findFirst().orElse("?");
                if (!ready.equals(lastReady.put(pod.getMetadata().getName(), ready))) {
                    readiness.add(java.time.Instant.now() + " " + pod.getMetadata().getName() + " Ready=" + ready);
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });
        ipDialer.start();
        nameDialer.start();
        try {
            long t0 = System.nanoTime();
            approveInstallPlanFor(NEXT);
            awaitCsvSucceeded(NEXT);
            await(FIRST + " replaced").atMost(Duration.ofMinutes(3)).until(() ->
                    olm("v1alpha1", "ClusterServiceVersion").inNamespace(INSTALL_NS).withName(FIRST).get() == null);
            System.out.printf("[olm] %s replaced %s in %d s%n", NEXT, FIRST, (System.nanoTime() - t0) / 1_000_000_000);
            assertThat(field(olm("v1alpha1", "Subscription").inNamespace(INSTALL_NS).withName("netplane").get(),
                    "status", "installedCSV")).isEqualTo(NEXT);
            await("the Netplane resource Ready after the upgrade").atMost(Duration.ofMinutes(5)).untilAsserted(() ->
                    assertThat(condition(netplane(), "Ready")).isEqualTo("True"));
            Thread.sleep(5_000); // and a little after
        } finally {
            stop.set(true);
            ipDialer.join();
            nameDialer.join();
            podWatch.close();
        }
        System.out.printf("[olm] server Pods' readiness during the upgrade: %s%n", readiness);
        System.out.printf("[olm] during the upgrade: %d dials to %s, %d failed, slowest %d ms; %d dials to %s, %d failed,"
                + " slowest %d ms%n", byIp.dials.get(), ip, byIp.failures.size(), byIp.slowestMillis.get(),
                byName.dials.get(), name, byName.failures.size(), byName.slowestMillis.get());
        assertThat(byIp.dials.get()).isGreaterThan(10);
        assertThat(byIp.failures).as("dials to the ClusterIP that failed during the upgrade (server Pods' readiness: %s)",
                readiness).isEmpty();
        assertThat(byName.dials.get()).isGreaterThan(10);
        // after the upgrade the name resolves and answers through the new dns-service Pods
        await("the Service by name after the upgrade").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(Netexec.dial(client, "hostname", "http", name, 80, 4).responses()).hasSize(4));
    }

    /** Dials a target from the client Pod every 200 ms until told to stop, counting what did not answer. */
    private static final class Dialer implements Runnable {
        final String target;
        final AtomicBoolean stop;
        final AtomicInteger dials = new AtomicInteger();
        final java.util.concurrent.atomic.AtomicLong slowestMillis = new java.util.concurrent.atomic.AtomicLong();
        final List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();

        Dialer(String target, AtomicBoolean stop) {
            this.target = target;
            this.stop = stop;
        }

        @Override
        public void run() {
            while (!stop.get()) {
                // the client Pod's node runs thirteen JVMs starting at once: give its netexec time to answer, and
                // report how long the slowest dial took
                long t0 = System.nanoTime();
                Netexec.Dial dial = Netexec.dial(client, "hostname", "http", target, 80, 1, Duration.ofSeconds(20));
                slowestMillis.accumulateAndGet((System.nanoTime() - t0) / 1_000_000, Math::max);
                dials.incrementAndGet();
                if (!dial.answered()) {
                    failures.add(java.time.Instant.now() + " " + dial.errors());
                }
                sleep(200);
            }
        }
    }

    @Test
    @Order(4)
    void uninstallRemovesWhatItCreated() {
        kube.namespaces().withName(NS).withTimeout(120, TimeUnit.SECONDS).delete();
        // the Netplane resource first: what the install operator made goes with it (owner references)
        kube.genericKubernetesResources("netplane.io/v1alpha1", "Netplane").withName("default").delete();
        await("the install operator's objects are gone").atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
            assertThat(kube.apps().daemonSets().inNamespace(INSTALL_NS).withName("node-proxy").get()).isNull();
            assertThat(kube.services().inNamespace(INSTALL_NS).withName("netplane-dns").get()).isNull();
            assertThat(kube.configMaps().inNamespace(INSTALL_NS).withName("netplane-cluster").get()).isNull();
            assertThat(kube.network().v1().ingressClasses().withName("netplane").get()).isNull();
        });
        // then the operator: Subscription and CSV (OLM removes its Deployments, RBAC and webhook)
        olm("v1alpha1", "Subscription").inNamespace(INSTALL_NS).withName("netplane").delete();
        olm("v1alpha1", "ClusterServiceVersion").inNamespace(INSTALL_NS).withName(NEXT).delete();
        await("OLM removed what the CSV installed").atMost(Duration.ofMinutes(3)).untilAsserted(() -> {
            assertThat(kube.apps().deployments().inNamespace(INSTALL_NS).list().getItems()).isEmpty();
            assertThat(kube.pods().inNamespace(INSTALL_NS).list().getItems()).isEmpty();
            assertThat(kube.admissionRegistration().v1().mutatingWebhookConfigurations().list().getItems())
                    .noneMatch(w -> w.getWebhooks().stream().anyMatch(h -> h.getName().startsWith("services.ipam.netplane.io")));
            assertThat(kube.rbac().clusterRoles().withLabel("olm.owner", NEXT).list().getItems()).isEmpty();
        });
        // and last the CRDs, which OLM leaves (they hold users' data)
        for (String crd : List.of("netplanes.netplane.io", "ipaddresspools.netplane.io", "allocations.netplane.io")) {
            kube.apiextensions().v1().customResourceDefinitions().withName(crd).delete();
        }
        await("the CRDs are gone").atMost(Duration.ofMinutes(1)).untilAsserted(() ->
                assertThat(kube.apiextensions().v1().customResourceDefinitions().list().getItems())
                        .noneMatch(c -> c.getSpec().getGroup().equals("netplane.io")));
    }

    // --- helpers ---------------------------------------------------------------------------------------

    private static MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> olm(
            String version, String kind) {
        return kube.genericKubernetesResources("operators.coreos.com/" + version, kind);
    }

    private static GenericKubernetesResource netplane() {
        return kube.genericKubernetesResources("netplane.io/v1alpha1", "Netplane").withName("default").get();
    }

    /**
     * Waits until the catalog operator has worked out the InstallPlan that installs {@code csv} (phase
     * RequiresApproval: its steps are written), and approves it, as {@code kubectl patch installplan} would. Approving
     * a plan before that races the catalog operator, which then makes a new plan.
     */
    private static void approveInstallPlanFor(String csv) {
        GenericKubernetesResource plan = await("an InstallPlan for " + csv + " waiting for approval")
                .atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .until(() -> olm("v1alpha1", "InstallPlan").inNamespace(INSTALL_NS).list().getItems().stream()
                        .filter(p -> field(p, "spec", "clusterServiceVersionNames").toString().contains(csv))
                        .filter(p -> "RequiresApproval".equals(field(p, "status", "phase")))
                        .findFirst().orElse(null), Objects::nonNull);
        olm("v1alpha1", "InstallPlan").inNamespace(INSTALL_NS).withName(plan.getMetadata().getName())
                .edit(p -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> spec = (Map<String, Object>) p.getAdditionalProperties().get("spec");
                    spec.put("approved", true);
                    return p;
                });
    }

    private static void awaitCsvSucceeded(String csv) {
        // thirteen JVMs start at once on two shared cores: the upgrade took 170 s on 2026-12-04, 529 s on 2026-12-07
        await(csv + " Succeeded").atMost(Duration.ofMinutes(15)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(field(olm("v1alpha1", "ClusterServiceVersion").inNamespace(INSTALL_NS).withName(csv).get(),
                        "status", "phase")).isEqualTo("Succeeded"));
    }

    /** The status of a condition of an object's {@code status.conditions}, or null. */
    private static String condition(GenericKubernetesResource object, String type) {
        Object conditions = field(object, "status", "conditions");
        if (conditions instanceof List<?> list) {
            for (Object c : list) {
                if (c instanceof Map<?, ?> m && type.equals(m.get("type"))) {
                    return (String) m.get("status");
                }
            }
        }
        return null;
    }

    /** A nested field of an object, or "" when any step is missing. */
    private static Object field(GenericKubernetesResource object, String... path) {
        Object value = object == null ? null : object.getAdditionalProperties();
        for (String step : path) {
            value = value instanceof Map<?, ?> m ? m.get(step) : null;
        }
        return value == null ? "" : value;
    }

    private static List<GenericKubernetesResource> load(String yaml) {
        List<GenericKubernetesResource> out = new ArrayList<>();
        for (HasMetadata r : kube.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items()) {
            out.add(kube.getKubernetesSerialization().convertValue(r, GenericKubernetesResource.class));
        }
        return out;
    }

    private static void apply(String yaml) {
        for (HasMetadata r : kube.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items()) {
            kube.resource(r).forceConflicts().serverSideApply();
        }
    }

    private static String kubectl(String... args) {
        List<String> argv = new ArrayList<>(List.of("kubectl", "--kubeconfig", cluster.kubeconfig().toString()));
        argv.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as(String.join(" ", argv) + ":\n" + out).isZero();
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
