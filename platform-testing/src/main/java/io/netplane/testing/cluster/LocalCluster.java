package io.netplane.testing.cluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.netplane.testing.kube.SourceTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The two-node dual-stack cluster {@code hack/cluster.sh} runs, with Netplane as its networking. A cluster that is
 * already up with the Netplane stack (its kubeconfig answers and every Node is Ready) is reused and left running; otherwise this runs
 * {@code hack/cluster.sh down} (leftovers of an interrupted run) and {@code up} (output in {@code target/local-cluster.log}) and {@code down} when the JVM exits, unless
 * {@code NETPLANE_CLUSTER_KEEP=1}. {@link #withOlm()} is the same cluster with OLM and Netplane's catalog but nothing
 * installed ({@code up --stack olm} with {@code NETPLANE_OLM_INSTALL=0}), always brought up afresh; a test that asks
 * for one stack after the other gets the cluster taken down and brought up again.
 */
public final class LocalCluster {
    private static LocalCluster shared;
    private static boolean downAtExit;

    private final Path repo;
    private final Path kubeconfig;
    private final String stack;

    private LocalCluster(Path repo, Path kubeconfig, String stack) {
        this.repo = repo;
        this.kubeconfig = kubeconfig;
        this.stack = stack;
    }

    public static synchronized LocalCluster shared() {
        return cluster("netplane", true);
    }

    /** A new cluster with OLM running and Netplane's catalog served, nothing subscribed. */
    public static synchronized LocalCluster withOlm() {
        return cluster("olm", false);
    }

    private static LocalCluster cluster(String stack, boolean reuse) {
        if (shared != null && shared.stack.equals(stack) && reuse) {
            return shared;
        }
        Path repo = SourceTree.root().orElseThrow(() -> new IllegalStateException(
                "no Netplane checkout above " + System.getProperty("user.dir")));
        String stateRoot = System.getenv().getOrDefault("NETPLANE_STATE",
                System.getProperty("user.home") + "/.local/state/netplane");
        LocalCluster cluster = new LocalCluster(repo, Path.of(stateRoot, "cluster/control-plane/kubeconfig"), stack);
        if (reuse && cluster.ready()) {
            System.out.println("[netplane-test] reusing the running local cluster, kubeconfig " + cluster.kubeconfig);
        } else {
            cluster.down(); // what an interrupted run or another stack left behind: the cluster starts afresh
            cluster.up();
            if (!downAtExit && !"1".equals(System.getenv("NETPLANE_CLUSTER_KEEP"))) {
                downAtExit = true;
                Runtime.getRuntime().addShutdownHook(new Thread(cluster::down, "netplane-cluster-down"));
            }
        }
        shared = cluster;
        return shared;
    }

    /**
     * {@code hack/cluster.sh wire}: once ipam-service has given the Nodes their podCIDRs, each Node's CNI network and
     * the routes to it (what {@code up} does after deploying; a cluster from {@link #withOlm()} needs it after the
     * install).
     */
    public void wire() {
        run(List.of("wire"), 300);
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    /** A new client for the cluster's API server; the caller closes it. */
    public KubernetesClient newClient() {
        try {
            Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
            return new KubernetesClientBuilder().withConfig(config).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Nodes' names, sorted. */
    public List<String> nodes() {
        try (KubernetesClient client = newClient()) {
            return client.nodes().list().getItems().stream().map(n -> n.getMetadata().getName()).sorted().toList();
        }
    }

    /** A Node's InternalIP of the family ({@code true}: IPv6). */
    public String nodeAddress(String node, boolean ipv6) {
        try (KubernetesClient client = newClient()) {
            Node n = client.nodes().withName(node).get();
            return n.getStatus().getAddresses().stream()
                    .filter(a -> "InternalIP".equals(a.getType()) && a.getAddress().contains(":") == ipv6)
                    .map(NodeAddress::getAddress).findFirst()
                    .orElseThrow(() -> new IllegalStateException(node + " has no " + (ipv6 ? "IPv6" : "IPv4") + " InternalIP"));
        }
    }

    private boolean ready() {
        if (!Files.isRegularFile(kubeconfig)) {
            return false;
        }
        // hack/cluster.sh records the stack it brought up: a cluster running the upstream components is not reused
        Path recorded = kubeconfig.getParent().getParent().resolve("stack");
        try {
            String running = Files.isRegularFile(recorded) ? Files.readString(recorded).strip() : "netplane";
            if (!stack.equals(running)) {
                System.out.println("[netplane-test] the running local cluster has the " + running
                        + " stack; it is taken down and brought up with Netplane");
                return false;
            }
        } catch (IOException e) {
            return false;
        }
        try (KubernetesClient client = newClient()) {
            List<Node> nodes = client.nodes().list().getItems();
            return nodes.size() >= 2 && nodes.stream().allMatch(n -> n.getStatus().getConditions().stream()
                    .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void up() {
        long t0 = System.nanoTime();
        run(List.of("up", "--stack", stack), TimeUnit.MINUTES.toSeconds(40));
        System.out.printf("[netplane-test] local cluster up with the %s stack in %d s (hack/cluster.sh up), kubeconfig %s%n",
                stack, (System.nanoTime() - t0) / 1_000_000_000, kubeconfig);
    }

    private void down() {
        run(List.of("down"), 300);
    }

    private void run(List<String> args, long timeoutSeconds) {
        String command = String.join(" ", args);
        Path log = Path.of(System.getProperty("user.dir"), "target", "local-cluster.log");
        try {
            Files.createDirectories(log.getParent());
            List<String> argv = new ArrayList<>(List.of(repo.resolve("hack/cluster.sh").toString()));
            argv.addAll(args);
            ProcessBuilder builder = new ProcessBuilder(argv)
                    .directory(repo.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            builder.environment().putAll(Map.of("NETPLANE_DEMO", "0", "NETPLANE_OLM_INSTALL", "0"));
            Process process = builder.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("hack/cluster.sh " + command + " took over " + timeoutSeconds + " s; log " + log);
            }
            if (process.exitValue() != 0) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                throw new IllegalStateException("hack/cluster.sh " + command + " exited " + process.exitValue() + "; log "
                        + log + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running hack/cluster.sh " + command, e);
        }
    }
}
