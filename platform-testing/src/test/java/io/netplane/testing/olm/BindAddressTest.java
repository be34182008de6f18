package io.netplane.testing.olm;

import static io.netplane.testing.olm.BundleGenerator.kind;
import static io.netplane.testing.olm.BundleGenerator.list;
import static io.netplane.testing.olm.BundleGenerator.map;
import static io.netplane.testing.olm.BundleGenerator.name;
import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.testing.kube.SourceTree;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Where the Quarkus HTTP listeners of the Deployments and DaemonSets in k8s/ bind, and that it is as narrow as the
 * ones who must reach them allow. A listener's host is {@code quarkus.http.host} (HTTP and HTTPS port) or
 * {@code quarkus.management.host} (management interface) from the container's environment, else the module's
 * application.properties, else Quarkus's prod default {@code 0.0.0.0}. In the host network {@code 0.0.0.0} means
 * every address of the node, so there a listener binds 127.0.0.1 (only the kubelet needs it) or the Pod IP
 * (status.podIP, the node's primary address: a Service, the API server or Prometheus reaches it), unless
 * {@link #EVERY_NODE_ADDRESS} says why not; probes go where their port listens. A Pod with a network namespace of its
 * own holds only its Pod IPs and loopback: binding all of them is already narrow, and loopback is where kubectl
 * port-forward connects.
 */
class BindAddressTest {
    static final String LOOPBACK = "127.0.0.1";
    static final String POD_IP = "status.podIP";
    static final String WILDCARD = "0.0.0.0";
    /** Host-network listeners that bind every address of the node: {@code container:port} and why. */
    static final Map<String, String> EVERY_NODE_ADDRESS = Map.of(
            "node-proxy:10256", "kube-proxy's health port: load balancers check /healthz on the node addresses they"
                    + " send to");
    /** Every listener: {@code <workload> <container> <listener> <host>:<port>}. A change here is a decision. */
    static final List<String> INVENTORY = List.of(
            "Deployment/dns-service dns-service http 0.0.0.0:8080",
            "Deployment/endpoints-operator endpoints-operator http 0.0.0.0:8080",
            "Deployment/ingress-controller ingress-operator http 0.0.0.0:9090",
            "Deployment/ingress-gateway ingress-operator http 0.0.0.0:9090",
            "Deployment/install-operator install-operator http 127.0.0.1:8081",
            "Deployment/ipam-service ipam-service http status.podIP:8080",
            "Deployment/ipam-service ipam-service https status.podIP:8443",
            "Deployment/policy-operator policy-operator http 0.0.0.0:8080",
            "DaemonSet/node-proxy node-proxy http 0.0.0.0:10256",
            "DaemonSet/node-proxy node-proxy management 127.0.0.1:10249");

    /** One container of a workload, with what its module's application.properties set. */
    record Container(String workload, boolean hostNetwork, Map<String, Object> pod, Map<String, Object> spec,
            Properties properties) {
        String name() {
            return (String) spec.get("name");
        }

        /** A setting: the container's variable (a downward-API field by its path), else application.properties. */
        Optional<String> setting(String property) {
            String variable = property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
            for (Object e : list(spec.get("env"))) {
                Map<String, Object> env = map(e);
                if (variable.equals(env.get("name"))) {
                    Object field = map(map(env.get("valueFrom")).get("fieldRef")).get("fieldPath");
                    return Optional.of(String.valueOf(field != null ? field : env.get("value")));
                }
            }
            return Optional.ofNullable(properties.getProperty(property));
        }

        boolean enabled(String property, boolean byDefault) {
            return setting(property).map(Boolean::parseBoolean).orElse(byDefault);
        }

        List<Listener> listeners() {
            List<Listener> out = new ArrayList<>();
            String host = setting("quarkus.http.host").orElse(WILDCARD);
            boolean management = enabled("quarkus.management.enabled", false);
            boolean healthOnManagement = management && enabled("quarkus.smallrye-health.management.enabled", true);
            out.add(new Listener(this, "http", host, port("quarkus.http.port", 8080), !healthOnManagement,
                    !management));
            if (setting("quarkus.http.ssl.certificate.files").isPresent()) {
                out.add(new Listener(this, "https", host, port("quarkus.http.ssl-port", 8443), false, false));
            }
            if (management) {
                out.add(new Listener(this, "management", setting("quarkus.management.host").orElse(WILDCARD),
                        port("quarkus.management.port", 9000), healthOnManagement, true));
            }
            return out;
        }

        private int port(String property, int byDefault) {
            return setting(property).map(Integer::parseInt).orElse(byDefault);
        }

        /** A probe's port: a number, or the name of a container port. */
        int portNumber(Object port) {
            if (port instanceof Number n) {
                return n.intValue();
            }
            return list(spec.get("ports")).stream().map(BundleGenerator::map).filter(p -> port.equals(p.get("name")))
                    .map(p -> ((Number) p.get("containerPort")).intValue()).findFirst()
                    .orElseThrow(() -> new AssertionError(this + ": no container port named " + port));
        }

        List<Integer> declaredPorts() {
            return list(spec.get("ports")).stream().map(p -> ((Number) map(p).get("containerPort")).intValue())
                    .toList();
        }

        Optional<Listener> listenerOn(int port) {
            return listeners().stream().filter(l -> l.port() == port).findFirst();
        }

        @Override
        public String toString() {
            return workload + " " + name();
        }
    }

    record Listener(Container container, String name, String host, int port, boolean health, boolean metrics) {
        String key() {
            return container.name() + ":" + port;
        }

        @Override
        public String toString() {
            return container + " " + name + " " + host + ":" + port;
        }
    }

    final Path root = SourceTree.root().orElseThrow();
    final List<Container> containers = containers();

    @Test
    void theListenersAreTheInventory() {
        assertThat(containers.stream().flatMap(c -> c.listeners().stream()).map(Listener::toString))
                .containsExactlyInAnyOrderElementsOf(INVENTORY);
    }

    @Test
    void inTheHostNetworkListenersBindLoopbackOrThePodIp() {
        List<Listener> hostNetwork = containers.stream().filter(Container::hostNetwork)
                .flatMap(c -> c.listeners().stream()).toList();
        assertThat(hostNetwork).as("host-network listeners").isNotEmpty();
        assertThat(hostNetwork).filteredOn(l -> !l.host().equals(LOOPBACK) && !l.host().equals(POD_IP))
                .as("host-network listeners on every node address without a reason in EVERY_NODE_ADDRESS")
                .allMatch(l -> EVERY_NODE_ADDRESS.containsKey(l.key()));
    }

    @Test
    void inTheHostNetworkEveryListenerIsADeclaredPort() {
        // there a container port is a host port: the scheduler keeps a second Pod that wants it off the node
        for (Container c : containers.stream().filter(Container::hostNetwork).toList()) {
            for (Listener l : c.listeners()) {
                assertThat(c.declaredPorts()).as(l + " declared").contains(l.port());
            }
        }
    }

    @Test
    void probesGoWhereTheirPortListens() {
        int probes = 0;
        for (Container c : containers) {
            for (String kind : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
                Map<String, Object> get = map(map(c.spec().get(kind)).get("httpGet"));
                if (get.isEmpty()) {
                    continue;
                }
                probes++;
                String what = c + " " + kind;
                Listener l = c.listenerOn(c.portNumber(get.get("port")))
                        .orElseThrow(() -> new AssertionError(what + ": nothing listens on " + get.get("port")));
                // without a host the kubelet connects to the Pod IP, which both the Pod IP and 0.0.0.0 serve
                String host = l.host().equals(LOOPBACK) ? LOOPBACK : null;
                assertThat(get.get("host")).as(what + " host, to " + l).isEqualTo(host);
                if (((String) get.get("path")).startsWith("/q/health")) {
                    assertThat(l.health()).as(what + ": " + l + " serves /q/health").isTrue();
                }
            }
        }
        assertThat(probes).isPositive();
    }

    @Test
    void prometheusIsPointedOnlyAtMetricsItCanReach() {
        for (Container c : containers) {
            Object port = map(map(map(c.pod().get("metadata")).get("annotations"))).get("prometheus.io/port");
            if (port == null) {
                continue;
            }
            Listener l = c.listenerOn(Integer.parseInt(port.toString()))
                    .orElseThrow(() -> new AssertionError(c + ": prometheus.io/port " + port + " is no listener"));
            assertThat(l.metrics()).as(l + " serves /q/metrics").isTrue();
            assertThat(l.host()).as(l + " reachable by Prometheus").isNotEqualTo(LOOPBACK);
        }
    }

    private List<Container> containers() {
        List<Container> out = new ArrayList<>();
        Path k8s = root.resolve("k8s");
        Map<String, Object> kustomization = BundleYaml.document(root.resolve(BundleGenerator.KUSTOMIZATION));
        for (Object resource : list(kustomization.get("resources"))) {
            for (Map<String, Object> object : BundleYaml.documents(k8s.resolve((String) resource))) {
                if (!List.of("Deployment", "DaemonSet").contains(kind(object))) {
                    continue;
                }
                Map<String, Object> pod = map(map(object.get("spec")).get("template"));
                Map<String, Object> podSpec = map(pod.get("spec"));
                for (Object c : list(podSpec.get("containers"))) {
                    Map<String, Object> spec = map(c);
                    boolean hostNetwork = Boolean.TRUE.equals(podSpec.get("hostNetwork"));
                    out.add(new Container(kind(object) + "/" + name(object), hostNetwork, pod, spec,
                            properties(module((String) spec.get("image")))));
                }
            }
        }
        return out;
    }

    /** ghcr.io/netplane/ipam-service:0.1.0 -> ipam-service, the module that builds the image. */
    private static String module(String image) {
        String last = image.substring(image.lastIndexOf('/') + 1);
        return last.contains(":") ? last.substring(0, last.indexOf(':')) : last;
    }

    private Properties properties(String module) {
        Properties p = new Properties();
        Path file = root.resolve(module).resolve("src/main/resources/application.properties");
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("application.properties of " + module, e);
        }
        return p;
    }
}
