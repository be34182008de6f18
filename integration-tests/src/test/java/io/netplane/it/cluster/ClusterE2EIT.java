package io.netplane.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netplane.testing.cluster.LocalCluster;
import io.netplane.testing.cluster.Netexec;
import io.netplane.testing.cluster.Netexec.Dial;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Netplane as the networking of a real two-node dual-stack cluster ({@code hack/cluster.sh}): agnhost netexec Pods
 * on kubelet nodes, reached through dns-service, node-proxy's nftables rules, policy-operator's policies and the
 * ingress gateway, the way the upstream e2e tests reach them. Clients are netexec Pods whose {@code /dial} makes the
 * Pod itself resolve and connect; NodePorts are reached from the host, outside the nodes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterE2EIT {
    private static final String NS = "e2e-netplane";
    private static final String AGNHOST = "registry.k8s.io/e2e-test-images/agnhost:2.66.1";
    private static final Duration CONVERGE = Duration.ofSeconds(60);

    private static LocalCluster cluster;
    private static KubernetesClient kube;
    private static String node1;
    private static String node2;
    private static String client1;
    private static String client2;

    @BeforeAll
    static void deployWorkloads() {
        cluster = LocalCluster.shared();
        kube = cluster.newClient();
        List<String> nodes = cluster.nodes();
        assertThat(nodes).hasSizeGreaterThanOrEqualTo(2);
        node1 = nodes.get(0);
        node2 = nodes.get(1);
        kube.namespaces().withName(NS).withTimeout(120, TimeUnit.SECONDS).delete();
        apply("""
                apiVersion: v1
                kind: Namespace
                metadata: {name: %s}
                """.formatted(NS));
        // servers: one per node; clients: one per node, only the first labelled for the NetworkPolicy
        apply(deployment("server", 2, "app: server", null));
        apply(deployment("guarded", 1, "app: guarded", null));
        apply(deployment("local", 1, "app: local", node1));
        apply(clientPod("client-1", node1, "access: allowed"));
        apply(clientPod("client-2", node2, "access: none"));
        apply(service("server-dual", "app: server", "ipFamilyPolicy: RequireDualStack"));
        apply(service("server-v4", "app: server", "ipFamilies: [IPv4]"));
        apply(service("server-v6", "app: server", "ipFamilies: [IPv6]"));
        apply(service("server-headless", "app: server", "clusterIP: None\n  ipFamilyPolicy: RequireDualStack"));
        apply(service("server-nodeport", "app: server", "type: NodePort\n  ipFamilyPolicy: RequireDualStack"));
        apply(service("server-sticky", "app: server", "sessionAffinity: ClientIP"));
        apply(service("local", "app: local", "type: NodePort\n  externalTrafficPolicy: Local"));
        apply(service("guarded", "app: guarded", "type: ClusterIP"));
        for (String d : List.of("server", "guarded", "local")) {
            kube.apps().deployments().inNamespace(NS).withName(d).waitUntilCondition(
                    x -> x != null && x.getStatus() != null && Integer.valueOf(x.getSpec().getReplicas()).equals(x.getStatus().getReadyReplicas()),
                    3, TimeUnit.MINUTES);
        }
        client1 = readyPodIp("client-1");
        client2 = readyPodIp("client-2");
    }

    @AfterAll
    static void cleanUp() {
        if (kube != null) {
            kube.namespaces().withName(NS).delete();
            kube.close();
        }
    }

    @Test
    @Order(1)
    void clusterIpByDnsNameOverIpv4AndIpv6ReachesEveryEndpoint() {
        Set<String> servers = podNames("app=server");
        for (String service : List.of("server-v4", "server-v6", "server-dual")) {
            String name = service + "." + NS + ".svc.cluster.local";
            Set<String> seen = new HashSet<>();
            await(service + " answered by every server Pod").atMost(CONVERGE).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                Dial dial = Netexec.dial(client1, "hostname", "http", name, 80, 10);
                seen.addAll(dial.responses());
                assertThat(seen).as("%s from client-1 (errors %s)", name, dial.errors()).containsExactlyInAnyOrderElementsOf(servers);
            });
        }
        // the dual-stack Service by each of its ClusterIPs, from the other node
        Service dual = kube.services().inNamespace(NS).withName("server-dual").get();
        assertThat(dual.getSpec().getClusterIPs()).hasSize(2);
        for (String ip : dual.getSpec().getClusterIPs()) {
            assertThat(Netexec.dial(client2, "hostname", "http", ip, 80, 4).responses()).as("ClusterIP %s from client-2", ip)
                    .isNotEmpty().allMatch(servers::contains);
        }
    }

    @Test
    @Order(2)
    void headlessServiceNamesResolveToEveryPodAddressOfBothFamilies() {
        Set<String> expected = new HashSet<>();
        for (Pod pod : kube.pods().inNamespace(NS).withLabel("app", "server").list().getItems()) {
            pod.getStatus().getPodIPs().forEach(ip -> expected.add(ip.getIp()));
        }
        assertThat(expected).hasSize(4);
        String name = "server-headless." + NS + ".svc.cluster.local";
        await("headless records").atMost(CONVERGE).untilAsserted(() ->
                assertThat(resolve(client1, name)).containsExactlyInAnyOrderElementsOf(expected));
    }

    @Test
    @Order(3)
    void nodePortAnswersOnEveryNodeAddressFromOutsideTheNodes() {
        Service svc = kube.services().inNamespace(NS).withName("server-nodeport").get();
        int nodePort = svc.getSpec().getPorts().get(0).getNodePort();
        Set<String> servers = podNames("app=server");
        for (String node : List.of(node1, node2)) {
            for (boolean v6 : List.of(false, true)) {
                String address = cluster.nodeAddress(node, v6);
                await("NodePort " + address + ":" + nodePort).atMost(CONVERGE).untilAsserted(() ->
                        assertThat(Netexec.get(address, nodePort, "/hostname", Duration.ofSeconds(3))).hasValueSatisfying(
                                h -> assertThat(servers).contains(h)));
            }
        }
    }

    @Test
    @Order(4)
    void externalTrafficPolicyLocalKeepsTheClientAddressAndAnswersOnlyWhereAnEndpointRuns() {
        int nodePort = kube.services().inNamespace(NS).withName("local").get().getSpec().getPorts().get(0).getNodePort();
        String withEndpoint = cluster.nodeAddress(node1, false);
        String without = cluster.nodeAddress(node2, false);
        await("eTP Local NodePort on " + withEndpoint).atMost(CONVERGE).untilAsserted(() ->
                assertThat(Netexec.get(withEndpoint, nodePort, "/clientip", Duration.ofSeconds(3)))
                        .as("the host's address on the nodes' bridge, not SNATed to the node")
                        .hasValueSatisfying(ip -> assertThat(ip).startsWith("10.77.0.1:")));
        assertThat(Netexec.get(without, nodePort, "/clientip", Duration.ofSeconds(2)))
                .as("a node without a local endpoint does not forward").isEmpty();
    }

    @Test
    @Order(5)
    void clientIpSessionAffinityKeepsOneClientOnOneEndpoint() {
        String name = "server-sticky." + NS + ".svc.cluster.local";
        for (String client : List.of(client1, client2)) {
            await("sticky").atMost(CONVERGE).untilAsserted(() -> {
                Dial dial = Netexec.dial(client, "hostname", "http", name, 80, 20);
                assertThat(dial.responses()).as("errors %s", dial.errors()).hasSize(20);
                assertThat(new HashSet<>(dial.responses())).hasSize(1);
            });
        }
    }

    @Test
    @Order(6)
    void networkPolicyAdmitsTheLabelledClientAndRefusesTheOther() {
        String name = "guarded." + NS + ".svc.cluster.local";
        await("guarded reachable before any policy").atMost(CONVERGE).untilAsserted(() ->
                assertThat(Netexec.dial(client2, "hostname", "http", name, 80, 1).responses()).hasSize(1));
        apply("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: guarded, namespace: %s}
                spec:
                  podSelector: {matchLabels: {app: guarded}}
                  policyTypes: [Ingress]
                  ingress:
                    - from: [{podSelector: {matchLabels: {access: allowed}}}]
                """.formatted(NS));
        await("client-2 refused").atMost(CONVERGE).untilAsserted(() ->
                assertThat(Netexec.dial(client2, "hostname", "http", name, 80, 1).responses()).isEmpty());
        assertThat(Netexec.dial(client1, "hostname", "http", name, 80, 3).responses()).as("client-1 admitted").hasSize(3);
        kube.network().networkPolicies().inNamespace(NS).withName("guarded").delete();
        await("client-2 admitted again once the policy is gone").atMost(CONVERGE).untilAsserted(() ->
                assertThat(Netexec.dial(client2, "hostname", "http", name, 80, 1).responses()).hasSize(1));
    }

    @Test
    @Order(7)
    void ingressRoutesAHostAndPathThroughTheGatewayToThePods() {
        apply("""
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: server, namespace: %s}
                spec:
                  ingressClassName: netplane
                  rules:
                    - host: server.e2e.example
                      http:
                        paths:
                          - {path: /hostname, pathType: Exact, backend: {service: {name: server-dual, port: {number: 80}}}}
                """.formatted(NS));
        Service gateway = kube.services().inNamespace("netplane-system").withName("ingress-gateway").get();
        int nodePort = gateway.getSpec().getPorts().stream().filter(p -> "http".equals(p.getName())).findFirst().orElseThrow().getNodePort();
        String gatewayNode = kube.pods().inNamespace("netplane-system").withLabel("app.kubernetes.io/name", "ingress-gateway")
                .list().getItems().get(0).getStatus().getHostIP();
        Set<String> servers = podNames("app=server");
        await("Ingress server.e2e.example/hostname").atMost(CONVERGE).untilAsserted(() ->
                assertThat(Netexec.get(gatewayNode, nodePort, "/hostname", "server.e2e.example", Duration.ofSeconds(3)))
                        .hasValueSatisfying(h -> assertThat(servers).contains(h)));
        assertThat(Netexec.get(gatewayNode, nodePort, "/hostname", "other.e2e.example", Duration.ofSeconds(3)))
                .as("a host no rule names").isEmpty();
    }

    @Test
    @Order(8)
    void aDeletedPodLeavesTheRotationWithinSeconds() {
        String name = "server-dual." + NS + ".svc.cluster.local";
        String victim = podNames("app=server").iterator().next();
        long t0 = System.nanoTime();
        kube.pods().inNamespace(NS).withName(victim).delete();
        await(victim + " out of the rotation").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(Netexec.dial(client1, "hostname", "http", name, 80, 10).responses()).hasSize(10).doesNotContain(victim));
        System.out.printf("[e2e] a deleted Pod left the rotation within %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        kube.apps().deployments().inNamespace(NS).withName("server").waitUntilCondition(
                d -> Integer.valueOf(2).equals(d.getStatus().getReadyReplicas()), 2, TimeUnit.MINUTES);
    }

    @Test
    @Order(9)
    void aNewlyReadyPodTakesTrafficWithinSeconds() {
        apply(deployment("late", 1, "app: late", node2).replace("replicas: 1", "replicas: 0"));
        apply(service("late", "app: late", "type: ClusterIP"));
        kube.apps().deployments().inNamespace(NS).withName("late").scale(1);
        String name = "late." + NS + ".svc.cluster.local";
        Pod ready = kube.pods().inNamespace(NS).withLabel("app", "late").waitUntilCondition(
                p -> p != null && p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())),
                2, TimeUnit.MINUTES);
        long readyAt = System.nanoTime();
        await("traffic to the new Pod").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() ->
                Netexec.dial(client1, "hostname", "http", name, 80, 1).responses().contains(ready.getMetadata().getName()));
        System.out.printf("[e2e] Pod ready -> its first answer through the Service from the other node: %d ms%n",
                (System.nanoTime() - readyAt) / 1_000_000);
    }

    @Test
    @Order(10)
    void aKilledNodeProxyPodComesBackWithoutLosingServiceTraffic() throws Exception {
        String name = "server-dual." + NS + ".svc.cluster.local";
        Pod proxy = kube.pods().inNamespace("netplane-system").withLabel("app.kubernetes.io/name", "node-proxy").list().getItems()
                .stream().filter(p -> node1.equals(p.getSpec().getNodeName())).findFirst().orElseThrow();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Long> failures = new ArrayList<>();
        int[] total = {0};
        Thread traffic = new Thread(() -> {
            while (running.get()) {
                Dial dial = Netexec.dial(client1, "hostname", "http", name, 80, 1);
                synchronized (failures) {
                    total[0]++;
                    if (!dial.answered()) {
                        failures.add(System.nanoTime());
                    }
                }
            }
        }, "e2e-traffic");
        traffic.start();
        long t0 = System.nanoTime();
        kube.pods().inNamespace("netplane-system").withName(proxy.getMetadata().getName()).withGracePeriod(0).delete();
        await("a new node-proxy Pod Ready on " + node1).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() ->
                kube.pods().inNamespace("netplane-system").withLabel("app.kubernetes.io/name", "node-proxy").list().getItems().stream()
                        .anyMatch(p -> node1.equals(p.getSpec().getNodeName()) && !p.getMetadata().getName().equals(proxy.getMetadata().getName())
                                && p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))));
        long back = System.nanoTime() - t0;
        Thread.sleep(3000);
        running.set(false);
        traffic.join();
        synchronized (failures) {
            System.out.printf("[e2e] node-proxy on %s killed and Ready again in %d ms; %d of %d requests meanwhile failed%n",
                    node1, back / 1_000_000, failures.size(), total[0]);
            assertThat(total[0]).isGreaterThan(10);
            assertThat(failures).as("Service traffic while node-proxy restarted").isEmpty();
        }
        // and the restarted node-proxy programs what changes afterwards
        aNewServiceWorksFromNode1("after-restart");
    }

    @Test
    @Order(11)
    void deletedNetplanePodsAreRestartedAndTheClusterConverges() {
        // the cluster DNS runs in kube-system, as kube-dns (hack/cluster/overlay)
        Map<String, String> namespaces = Map.of("dns-service", "kube-system", "endpoints-operator", "netplane-system");
        namespaces.forEach((app, ns) ->
                kube.pods().inNamespace(ns).withLabel("app.kubernetes.io/name", app).withGracePeriod(0).delete());
        for (var e : namespaces.entrySet()) {
            String d = e.getKey();
            await(d + " back").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                var deployment = kube.apps().deployments().inNamespace(e.getValue()).withName(d).get();
                return deployment.getStatus().getReadyReplicas() != null
                        && deployment.getStatus().getReadyReplicas().equals(deployment.getSpec().getReplicas());
            });
        }
        aNewServiceWorksFromNode1("after-operators");
    }

    /** A Service made now resolves and answers from client-1. */
    private static void aNewServiceWorksFromNode1(String serviceName) {
        apply(service(serviceName, "app: server", "type: ClusterIP"));
        String name = serviceName + "." + NS + ".svc.cluster.local";
        await(serviceName + " works").atMost(CONVERGE).untilAsserted(() ->
                assertThat(Netexec.dial(client1, "hostname", "http", name, 80, 1).responses()).hasSize(1));
    }

    // --- workloads -----------------------------------------------------------------------------------

    private static String deployment(String name, int replicas, String label, String node) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %1$s, namespace: %2$s}
                spec:
                  replicas: %3$d
                  selector: {matchLabels: {%4$s}}
                  template:
                    metadata: {labels: {%4$s}}
                    spec:
                      terminationGracePeriodSeconds: 5
                      %5$s
                      topologySpreadConstraints:
                        - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {%4$s}}}
                      containers:
                        - name: netexec
                          image: %6$s
                          args: [netexec, --http-port=8080, --udp-port=8081]
                          ports: [{name: http, containerPort: 8080}]
                          readinessProbe: {httpGet: {path: /healthz, port: http}, periodSeconds: 1}
                """.formatted(name, NS, replicas, label, node == null ? "" : "nodeName: " + node, AGNHOST);
    }

    private static String clientPod(String name, String node, String label) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s, namespace: %s, labels: {role: client, %s}}
                spec:
                  nodeName: %s
                  terminationGracePeriodSeconds: 1
                  containers:
                    - {name: netexec, image: %s, args: [netexec, --http-port=8080]}
                """.formatted(name, NS, label, node, AGNHOST);
    }

    private static String service(String name, String selector, String spec) {
        return """
                apiVersion: v1
                kind: Service
                metadata: {name: %s, namespace: %s}
                spec:
                  %s
                  selector: {%s}
                  ports: [{name: http, port: 80, targetPort: 8080}]
                """.formatted(name, NS, spec, selector);
    }

    private static void apply(String yaml) {
        for (HasMetadata resource : kube.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items()) {
            kube.resource(resource).forceConflicts().serverSideApply();
        }
    }

    private static String readyPodIp(String name) {
        return kube.pods().inNamespace(NS).withName(name).waitUntilCondition(p -> p != null && p.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())), 2, TimeUnit.MINUTES).getStatus().getPodIP();
    }

    private static Set<String> podNames(String selector) {
        String[] kv = selector.split("=");
        Set<String> names = new HashSet<>();
        kube.pods().inNamespace(NS).withLabel(kv[0], kv[1]).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .forEach(p -> names.add(p.getMetadata().getName()));
        return names;
    }

    private static final Pattern ADDRESS = Pattern.compile("^Address(?: \\d+)?:\\s+(\\S+)$", Pattern.MULTILINE);

    /** The addresses a client Pod's resolver gets for a name (busybox nslookup through netexec's /shell). */
    private static Set<String> resolve(String client, String name) {
        Set<String> out = new HashSet<>();
        for (String type : List.of("a", "aaaa")) {
            Optional<String> json = Netexec.get(client, 8080, "/shell?cmd=nslookup%20-type=" + type + "%20" + name, Duration.ofSeconds(10));
            String text = json.orElse("").replace("\\n", "\n").replace("\\t", "\t");
            // the answers follow the first "Name:" line; the "Address:" before it is the server's
            int answers = text.indexOf("Name:");
            Matcher m = ADDRESS.matcher(answers < 0 ? "" : text.substring(answers));
            while (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }
}
