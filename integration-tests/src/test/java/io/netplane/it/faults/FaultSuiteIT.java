package io.netplane.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netplane.testing.cluster.LocalCluster;
import io.netplane.testing.kube.SourceTree;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Faults injected into the local cluster (Netplane stack) while {@link Churn} changes Services, Pods, Ingresses and
 * a NetworkPolicy: kill -9 of each component (each operator's leader), SIGSTOP of a leader past its Lease then
 * SIGCONT, a Kafka broker restart, a kube-apiserver restart, node 2 (its node-proxy and ipam-service replica) cut off
 * from Kafka for a minute, the broker's disk full. After each the components must be back (Pods Ready, every Lease
 * held) and then every consumer must agree with the API ({@link Consumers}) within {@link #CONVERGE}. The CI subset
 * ({@code -Dnetplane.faults=ci}, the default) runs every kind once, SIGSTOP on one leader; {@code hack/faults.sh}
 * ({@code -Dnetplane.faults=all}) freezes every leader and the API server too. It prints what ran and what happened.
 */
class FaultSuiteIT {
    private static final String NS = "faults";
    private static final String AGNHOST = "registry.k8s.io/e2e-test-images/agnhost:2.66.1";
    private static final Duration CONVERGE = Duration.ofSeconds(120);
    private static final Duration BACK = Duration.ofMinutes(4);
    private static final String KAFKA = "10.77.0.1";
    private static final boolean ALL = "all".equals(System.getProperty("netplane.faults", "ci"));

    /** A component; {@code lease} is null for those without leader election (every replica serves). */
    record Component(String name, String namespace, String lease) {
    }

    private static final List<Component> COMPONENTS = List.of(
            new Component("endpoints-operator", "netplane-system", "netplane-endpoints-operator"),
            new Component("ipam-service", "netplane-system", "netplane-ipam-service"),
            new Component("policy-operator", "netplane-system", "netplane-policy-operator"),
            new Component("ingress-controller", "netplane-system", "netplane-ingress-controller"),
            new Component("ingress-gateway", "netplane-system", null),
            new Component("dns-service", "kube-system", null),
            new Component("node-proxy", "netplane-system", null));

    private static LocalCluster cluster;
    private static KubernetesClient kube;
    private static Path repo;
    private static List<String> nodes;
    private static Churn churn;
    private static Consumers consumers;
    private static final List<String> report = new ArrayList<>();
    private static final Map<Component, Integer> scaledUp = new LinkedHashMap<>();

    @BeforeAll
    static void deploy() {
        cluster = LocalCluster.shared();
        kube = cluster.newClient();
        repo = SourceTree.root().orElseThrow();
        nodes = cluster.nodes();
        kube.namespaces().withName(NS).withTimeout(120, TimeUnit.SECONDS).delete();
        apply("""
                apiVersion: v1
                kind: Namespace
                metadata: {name: %s}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %s, namespace: %s}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: churn}}
                  template:
                    metadata: {labels: {app: churn}}
                    spec:
                      terminationGracePeriodSeconds: 2
                      containers:
                        - name: netexec
                          image: %s
                          args: [netexec, --http-port=8080]
                          readinessProbe: {httpGet: {path: /healthz, port: 8080}, periodSeconds: 1}
                """.formatted(NS, Churn.APP, NS, AGNHOST));
        // a standby for every leader (the local overlay runs one replica of most, for the two cores), and a second gateway
        for (Component c : COMPONENTS) {
            if (c.lease() != null || c.name().equals("ingress-gateway")) {
                Deployment d = kube.apps().deployments().inNamespace(c.namespace()).withName(c.name()).get();
                if (d.getSpec().getReplicas() < 2) {
                    scaledUp.put(c, d.getSpec().getReplicas());
                    kube.apps().deployments().inNamespace(c.namespace()).withName(c.name()).scale(2);
                }
            }
        }
        awaitComponentsBack();
        String allowed = client("client-1", nodes.get(0), "allowed");
        String denied = client("client-2", nodes.get(1), "none");
        Map<String, String> netns = new LinkedHashMap<>();
        nodes.forEach(n -> netns.put(n, n)); // hack/cluster.sh names each node's network namespace after it
        consumers = new Consumers(kube, NS, netns, allowed, denied);
        churn = new Churn(kube, NS);
        churn.awaitDeployment();
        churn.start();
        System.out.printf("[faults] %s suite on %s; churn: one change every %d ms%n", ALL ? "full" : "CI", nodes, Churn.PAUSE_MS);
    }

    @AfterAll
    static void summary() throws InterruptedException {
        if (churn != null) {
            churn.stop();
            report.add("churn: " + churn.counts());
        }
        System.out.println("[faults] ---- summary ----");
        report.forEach(line -> System.out.println("[faults] " + line));
        if (kube != null) {
            scaledUp.forEach((c, replicas) -> kube.apps().deployments().inNamespace(c.namespace()).withName(c.name()).scale(replicas));
            kube.namespaces().withName(NS).delete();
            awaitComponentsBack(); // the next suite finds the cluster as it was, every Lease held
            kube.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> faults() {
        List<DynamicTest> tests = new ArrayList<>();
        tests.add(fault("steady state (no fault)", () -> "churn only"));
        for (Component c : COMPONENTS) {
            tests.add(fault("kill -9 " + c.name() + (c.lease() != null ? " (leader)" : ""), () -> kill(c)));
        }
        for (Component c : COMPONENTS) {
            if (c.lease() != null && (ALL || c.name().equals("endpoints-operator"))) {
                tests.add(fault("SIGSTOP " + c.name() + " leader 25 s, SIGCONT", () -> freezeLeader(c)));
            }
        }
        tests.add(fault("Kafka broker kill -9 and restart", () -> restart("kafka")));
        tests.add(fault("kube-apiserver kill -9 and restart", () -> restart("kube-apiserver")));
        if (ALL) {
            tests.add(fault("kube-apiserver SIGSTOP 30 s, SIGCONT", FaultSuiteIT::freezeApiServer));
        }
        tests.add(fault(nodes.get(1) + " cut off from Kafka 60 s", () -> cutOff(nodes.get(1))));
        tests.add(fault("Kafka broker's disk full 20 s", FaultSuiteIT::diskFull));
        return tests.stream();
    }

    /** What a fault did, for the report. */
    interface Injection {
        String inject() throws Exception;
    }

    private static DynamicTest fault(String name, Injection injection) {
        return DynamicTest.dynamicTest(name, () -> {
            long t0 = System.nanoTime();
            String what;
            try {
                what = injection.inject();
                awaitComponentsBack();
            } catch (Throwable e) {
                report.add("FAILED " + name + ": " + e.getMessage());
                throw e;
            }
            long back = ms(t0);
            long c0 = System.nanoTime();
            Set<String> names;
            List<String> last = new ArrayList<>();
            churn.hold();
            try {
                names = churn.toCheck();
                await(name + ": consumers agree with the API").atMost(CONVERGE).pollInterval(Duration.ofSeconds(2))
                        .ignoreExceptions().until(() -> {
                            List<String> now = consumers.disagreements(names);
                            if (!now.equals(last)) {
                                System.out.printf("[faults]   %s, %d ms: %s%n", name, ms(c0), now.isEmpty() ? "agreed" : now);
                            }
                            last.clear();
                            last.addAll(now);
                            return now.isEmpty();
                        });
                churn.checked();
            } catch (Throwable e) {
                report.add("FAILED " + name + ": " + what + "; not converged in " + CONVERGE.toSeconds() + " s: " + last);
                throw new AssertionError(name + ": " + last, e);
            } finally {
                churn.release();
            }
            String line = "%-48s %s; back in %d ms, consumers agreed %d ms later (%d Services checked); churn %s"
                    .formatted(name, what, back, ms(c0), names.size(), churn.counts());
            report.add("ok " + line);
            System.out.println("[faults] " + line);
        });
    }

    // --- the faults ----------------------------------------------------------------------------------

    private static String kill(Component c) {
        Pod pod = c.lease() != null ? leader(c) : c.name().equals("node-proxy") ? onNode(pods(c), nodes.get(1)) : pods(c).get(0);
        int restarts = restarts(pod);
        String holder = c.lease() != null ? holder(c) : null;
        long t0 = System.nanoTime();
        Host.signal(Host.javaPids(pod), "KILL");
        String takeover = "";
        if (holder != null) {
            await(c.name() + ": another replica takes the Lease").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .ignoreExceptions().until(() -> holder(c) != null && !holder.equals(holder(c)));
            takeover = ", Lease taken over in " + ms(t0) + " ms";
        }
        await(pod.getMetadata().getName() + " restarted and Ready").atMost(BACK).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> {
                    Pod now = kube.pods().inNamespace(c.namespace()).withName(pod.getMetadata().getName()).get();
                    return restarts(now) > restarts && ready(now);
                });
        return "killed " + pod.getMetadata().getName() + takeover + ", container Ready again in " + ms(t0) + " ms";
    }

    private static String freezeLeader(Component c) throws InterruptedException {
        Pod pod = leader(c);
        String holder = holder(c);
        List<Long> pids = Host.javaPids(pod);
        long t0 = System.nanoTime();
        Host.signal(pids, "STOP");
        long takeover;
        try {
            await(c.name() + ": a standby takes the Lease from the frozen leader").atMost(Duration.ofSeconds(40))
                    .pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> holder(c) != null && !holder.equals(holder(c)));
            takeover = ms(t0);
            Thread.sleep(Math.max(0, 25_000 - ms(t0)));
        } finally {
            Host.signal(pids, "CONT");
        }
        long resumed = System.nanoTime();
        // the thawed replica must notice it lost the Lease (a candidate again, or restarted), never lead beside the new one
        await(pod.getMetadata().getName() + " knows it lost the Lease").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> {
                    Pod now = kube.pods().inNamespace(c.namespace()).withName(pod.getMetadata().getName()).get();
                    return restarts(now) > restarts(pod) || kube.pods().inNamespace(c.namespace()).withName(pod.getMetadata().getName())
                            .getLog().contains("lost Lease");
                });
        assertThat(takeover).as("takeover after the leader froze (Lease 15 s, retry 2 s)").isLessThanOrEqualTo(25_000);
        return "froze " + pod.getMetadata().getName() + ", Lease taken over in " + takeover + " ms, thawed at 25 s, it stood down "
                + ms(resumed) + " ms later";
    }

    private static String restart(String what) {
        long t0 = System.nanoTime();
        Host.cluster(repo, "restart", what);
        return what + " killed and running again in " + ms(t0) + " ms";
    }

    private static String freezeApiServer() throws Exception {
        Path pidFile = statePath("control-plane/kube-apiserver.pid");
        List<Long> pid = List.of(Long.parseLong(Files.readString(pidFile).strip()));
        List<Component> elected = COMPONENTS.stream().filter(c -> c.lease() != null).toList();
        List<String> before = elected.stream().map(FaultSuiteIT::holder).toList();
        Host.signal(pid, "STOP");
        try {
            Thread.sleep(30_000);
        } finally {
            Host.signal(pid, "CONT");
        }
        awaitComponentsBack();
        long moved = elected.stream().filter(c -> !before.get(elected.indexOf(c)).equals(holder(c))).count();
        // past the renew deadline (10 s) a leader stands down, as upstream's do: it cannot know whether a standby took over
        return "kube-apiserver (pid %d) frozen 30 s; %d of %d Leases changed hands".formatted(pid.get(0), moved, elected.size());
    }

    private static String cutOff(String node) throws InterruptedException {
        String table = "netplane-fault";
        Host.inNode(node, "nft", "add table inet " + table);
        try {
            Host.inNode(node, "nft", "add chain inet " + table + " out { type filter hook output priority 0 ; policy accept ; }");
            Host.inNode(node, "nft", "add rule inet " + table + " out ip daddr " + KAFKA + " tcp dport 9092 drop");
            Thread.sleep(50_000);
            // the cut is real: a Service made during it is on the other node's rules and not on this one's
            String other = nodes.stream().filter(n -> !n.equals(node)).findFirst().orElseThrow();
            Set<String> here = Consumers.ipv4(Consumers.blocks(Host.inNode(node, "nft", "list", "table", "ip", "netplane-proxy"))
                    .getOrDefault("cluster-ips", ""));
            Set<String> there = Consumers.ipv4(Consumers.blocks(Host.inNode(other, "nft", "list", "table", "ip", "netplane-proxy"))
                    .getOrDefault("cluster-ips", ""));
            assertThat(there).as("ClusterIPs programmed on %s but not on %s, cut off from Kafka", other, node).isNotEqualTo(here);
            Thread.sleep(10_000);
        } finally {
            Host.inNode(node, "nft", "delete table inet " + table);
        }
        return node + "'s own traffic to " + KAFKA + ":9092 dropped 60 s";
    }

    private static String diskFull() throws Exception {
        Path data = statePath("kafka/data");
        assertThat(Host.run(List.of("mountpoint", data.toString()), 10, false))
                .as("the broker's data is a tmpfs of its own (hack/cluster.sh), so only it fills").contains("is a mountpoint");
        Path fill = data.resolve("fault-fill");
        long filled = 0;
        byte[] chunk = new byte[1 << 20];
        try (FileOutputStream out = new FileOutputStream(fill.toFile())) {
            while (true) {
                out.write(chunk);
                filled += chunk.length;
            }
        } catch (IOException full) {
            // no space left
        }
        boolean halted;
        try {
            Thread.sleep(20_000);
        } finally {
            Files.deleteIfExists(fill);
        }
        Path pidFile = statePath("kafka/broker.pid");
        halted = !Files.isRegularFile(pidFile) || !Files.isDirectory(Path.of("/proc", Files.readString(pidFile).strip()));
        if (halted) {
            Host.cluster(repo, "restart", "kafka");
        }
        return "filled %d MiB, held 20 s, freed; the broker %s".formatted(filled >> 20,
                halted ? "had stopped (its log directory failed) and was started again" : "stayed up");
    }

    // --- cluster state -------------------------------------------------------------------------------

    /** Every Netplane Deployment and the DaemonSet Ready at their size, every Lease held and renewed. */
    private static void awaitComponentsBack() {
        await("Netplane's Pods Ready and every Lease held").atMost(BACK).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
            for (Component c : COMPONENTS) {
                if (c.name().equals("node-proxy")) {
                    DaemonSet ds = kube.apps().daemonSets().inNamespace(c.namespace()).withName(c.name()).get();
                    if (ds.getStatus().getNumberReady() < ds.getStatus().getDesiredNumberScheduled()) {
                        return false;
                    }
                    continue;
                }
                Deployment d = kube.apps().deployments().inNamespace(c.namespace()).withName(c.name()).get();
                if (!Objects.equals(d.getSpec().getReplicas(), d.getStatus().getReadyReplicas())) {
                    return false;
                }
                if (c.lease() != null) {
                    Lease lease = kube.leases().inNamespace(c.namespace()).withName(c.lease()).get();
                    ZonedDateTime renewed = lease.getSpec().getRenewTime();
                    if (lease.getSpec().getHolderIdentity() == null || lease.getSpec().getHolderIdentity().isEmpty() || renewed == null
                            || renewed.isBefore(ZonedDateTime.now().minusSeconds(lease.getSpec().getLeaseDurationSeconds()))) {
                        return false;
                    }
                }
            }
            return true;
        });
    }

    private static String holder(Component c) {
        return kube.leases().inNamespace(c.namespace()).withName(c.lease()).get().getSpec().getHolderIdentity();
    }

    /** The Pod holding the component's Lease: the one whose log says it leads as the holder. */
    private static Pod leader(Component c) {
        String holder = holder(c);
        return pods(c).stream().filter(p -> kube.pods().inNamespace(c.namespace()).withName(p.getMetadata().getName()).getLog()
                        .contains(" as " + holder))
                .findFirst().orElseThrow(() -> new IllegalStateException("no " + c.name() + " Pod logs leading as " + holder));
    }

    private static List<Pod> pods(Component c) {
        return kube.pods().inNamespace(c.namespace()).withLabel("app.kubernetes.io/name", c.name()).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null && ready(p)).toList();
    }

    private static Pod onNode(List<Pod> pods, String node) {
        return pods.stream().filter(p -> node.equals(p.getSpec().getNodeName())).findFirst().orElseThrow();
    }

    private static boolean ready(Pod p) {
        return p != null && p.getStatus().getConditions().stream().anyMatch(x -> "Ready".equals(x.getType()) && "True".equals(x.getStatus()));
    }

    private static int restarts(Pod p) {
        return p.getStatus().getContainerStatuses().get(0).getRestartCount();
    }

    private static Path statePath(String rest) {
        String root = System.getenv().getOrDefault("NETPLANE_STATE", System.getProperty("user.home") + "/.local/state/netplane");
        return Path.of(root, "cluster", rest);
    }

    private static long ms(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }

    private static String client(String name, String node, String access) {
        apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: %s, namespace: %s, labels: {access: %s}}
                spec:
                  nodeName: %s
                  terminationGracePeriodSeconds: 1
                  containers:
                    - {name: netexec, image: %s, args: [netexec, --http-port=8080]}
                """.formatted(name, NS, access, node, AGNHOST));
        return kube.pods().inNamespace(NS).withName(name).waitUntilCondition(FaultSuiteIT::ready, 2, TimeUnit.MINUTES).getStatus().getPodIP();
    }

    private static void apply(String yaml) {
        Churn.apply(kube, yaml);
    }
}
