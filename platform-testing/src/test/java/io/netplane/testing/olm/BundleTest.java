package io.netplane.testing.olm;

import static io.netplane.testing.olm.BundleGenerator.list;
import static io.netplane.testing.olm.BundleGenerator.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.testing.kube.SourceTree;
import io.netplane.testing.olm.BundleGenerator.Release;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The checked-in OLM bundle must be what {@link BundleGenerator} makes of k8s/ and hack/olm/csv.yaml. After an
 * intended change there, regenerate it with
 * {@code ./mvnw -pl platform-testing -am test -Dtest=BundleTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dnetplane.bundle.update=true}. {@code hack/olm/validate.sh} runs OLM's own validators on it.
 */
class BundleTest {
    static final boolean UPDATE = Boolean.getBoolean("netplane.bundle.update");
    /** The kinds OLM installs from a bundle (hack/olm/validate checks the same). */
    static final Set<String> BUNDLE_KINDS = Set.of("ClusterServiceVersion", "CustomResourceDefinition", "ClusterRole",
            "ClusterRoleBinding", "Role", "RoleBinding", "ServiceAccount", "Service", "ConfigMap", "Secret",
            "PodDisruptionBudget", "PriorityClass", "VerticalPodAutoscaler", "NetworkPolicy", "ServiceMonitor",
            "PodMonitor", "PrometheusRule", "ConsoleYAMLSample", "ConsoleQuickStart", "ConsoleCLIDownload",
            "ConsoleLink");

    final Path root = SourceTree.root().orElseThrow();
    final BundleGenerator generator = new BundleGenerator(root);
    final Path packageDir = root.resolve("bundle").resolve(generator.packageName());
    final List<Release> releases = generator.releases();

    @Test
    void committedBundleMatchesTheSources() throws IOException {
        Release head = releases.get(0);
        Path dir = packageDir.resolve(head.version());
        Map<String, String> generated = generator.generate(head);
        if (UPDATE) {
            write(dir, generated);
        }
        String hint = " is out of date with k8s/ and " + BundleGenerator.CSV_SOURCE
                + "; regenerate with -Dnetplane.bundle.update=true (see BundleTest)";
        assertThat(files(dir)).as(dir + hint).containsExactlyElementsOf(generated.keySet());
        for (Map.Entry<String, String> file : generated.entrySet()) {
            assertThat(Files.readString(dir.resolve(file.getKey()))).as(dir.resolve(file.getKey()) + hint)
                    .isEqualTo(file.getValue());
        }
    }

    @Test
    void olderReleasesAreFrozenAndChained() throws IOException {
        for (int i = 0; i < releases.size(); i++) {
            Release release = releases.get(i);
            Path dir = packageDir.resolve(release.version());
            if (UPDATE && !Files.isDirectory(dir)) {
                write(dir, generator.generate(release)); // frozen from now on
            }
            assertThat(dir).as("bundle of release " + release.version()).isDirectory();
            Map<String, Object> csv = csv(dir);
            assertThat(map(csv.get("metadata")).get("name")).isEqualTo("netplane.v" + release.version());
            assertThat(map(csv.get("spec")).get("version")).isEqualTo(release.version());
            String expectedReplaces = release.replaces() == null ? null : "netplane.v" + release.replaces();
            assertThat(map(csv.get("spec")).get("replaces")).as(release.version() + " replaces").isEqualTo(expectedReplaces);
            String next = i + 1 < releases.size() ? releases.get(i + 1).version() : null;
            assertThat(release.replaces()).as("each release replaces the one listed after it").isEqualTo(next);
        }
        try (Stream<Path> dirs = Files.list(packageDir)) {
            assertThat(dirs.map(d -> d.getFileName().toString()).sorted().toList())
                    .as("bundle directories without a release in " + BundleGenerator.CSV_SOURCE)
                    .containsExactlyInAnyOrderElementsOf(releases.stream().map(Release::version).toList());
        }
    }

    @Test
    void bundleHoldsOnlyWhatOlmInstalls() {
        for (Map.Entry<String, String> file : generator.generate(releases.get(0)).entrySet()) {
            if (file.getKey().startsWith("manifests/")) {
                assertThat(BUNDLE_KINDS).as(file.getKey()).contains((String) BundleYaml.read(file.getValue()).get("kind"));
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void csvCarriesEveryDeploymentPermissionAndWebhookOfK8s() {
        Map<String, Object> spec = map(BundleYaml.read(generator.generate(releases.get(0))
                .get("manifests/netplane.clusterserviceversion.yaml")).get("spec"));
        Map<String, Object> install = map(map(spec.get("install")).get("spec"));
        assertThat(names(install.get("deployments"), "name")).containsExactly("dns-service", "endpoints-operator",
                "ingress-controller", "ingress-gateway", "install-operator", "ipam-service", "policy-operator");
        assertThat(names(install.get("clusterPermissions"), "serviceAccountName")).containsExactly("endpoints-operator",
                "ingress-controller", "ingress-gateway", "install-operator", "ipam-service", "policy-operator");
        // the namespaced permissions: the operators' leader-election Leases, and what install-operator makes and
        // watches in the install namespace
        assertThat(names(install.get("permissions"), "serviceAccountName")).containsExactly("endpoints-operator",
                "ingress-controller", "install-operator", "ipam-service", "policy-operator");
        assertThat(names(spec.get("installModes"), "type")).containsExactly("OwnNamespace", "SingleNamespace",
                "MultiNamespace", "AllNamespaces");
        assertThat(list(spec.get("installModes"))).allSatisfy(m -> assertThat(map(m).get("supported"))
                .isEqualTo("AllNamespaces".equals(map(m).get("type"))));

        Map<String, Object> webhook = map(list(spec.get("webhookdefinitions")).get(0));
        assertThat(webhook).containsEntry("type", "MutatingAdmissionWebhook")
                .containsEntry("deploymentName", "ipam-service").containsEntry("generateName", "services.ipam.netplane.io")
                .containsEntry("containerPort", 443).containsEntry("targetPort", 8443)
                .containsEntry("webhookPath", "/webhooks/services").containsEntry("failurePolicy", "Ignore");
        // ipam-service reads the certificate OLM mounts for the webhook, not k8s/'s Secret ipam-service-tls
        Map<String, Object> ipam = list(install.get("deployments")).stream().map(BundleGenerator::map)
                .filter(d -> "ipam-service".equals(d.get("name"))).findFirst().orElseThrow();
        String pod = BundleYaml.write(ipam);
        assertThat(pod).contains(BundleGenerator.OLM_WEBHOOK_CERT_DIR + "/tls.crt",
                BundleGenerator.OLM_WEBHOOK_CERT_DIR + "/tls.key").doesNotContain("ipam-service-tls", "/etc/netplane/tls");

        // the cluster's settings are the Netplane resource's: read from the ConfigMap install-operator writes
        String all = BundleYaml.write(Map.of("deployments", install.get("deployments")));
        assertThat(all).doesNotContain("kafka.netplane-system.svc", "10.96.0.10");
        Map<String, Object> dns = list(install.get("deployments")).stream().map(BundleGenerator::map)
                .filter(d -> "dns-service".equals(d.get("name"))).findFirst().orElseThrow();
        Object env = map(list(map(map(map(dns.get("spec")).get("template")).get("spec")).get("containers")).get(0)).get("env");
        assertThat(list(env)).contains(Map.of("name", "NETPLANE_DNS_NAMESERVER_ADDRESSES", "valueFrom",
                Map.of("configMapKeyRef", Map.of("name", ClusterSettings.CONFIG_MAP, "key", "NETPLANE_DNS_ADDRESSES"))));
        // also where k8s/ sets it in a ConfigMap of the component's own (envFrom): an env entry overrides that
        Map<String, Object> endpoints = list(install.get("deployments")).stream().map(BundleGenerator::map)
                .filter(d -> "endpoints-operator".equals(d.get("name"))).findFirst().orElseThrow();
        Object endpointsEnv = map(list(map(map(map(endpoints.get("spec")).get("template")).get("spec")).get("containers")).get(0)).get("env");
        assertThat(list(endpointsEnv)).contains(Map.of("name", "KAFKA_BOOTSTRAP_SERVERS", "valueFrom",
                Map.of("configMapKeyRef", Map.of("name", ClusterSettings.CONFIG_MAP, "key", "KAFKA_BOOTSTRAP_SERVERS"))));

        // node-proxy's image is install-operator's RELATED_IMAGE_NODE_PROXY
        assertThat(names(spec.get("relatedImages"), "name")).containsExactly("dns-service", "endpoints-operator",
                "ingress-operator", "install-operator", "ipam-service", "node-proxy", "policy-operator");
        Map<String, Object> owned = (Map<String, Object>) spec.get("customresourcedefinitions");
        assertThat(names(owned.get("owned"), "name")).containsExactly("allocations.netplane.io",
                "ipaddresspools.netplane.io", "netplanes.netplane.io");
    }

    @Test
    void leavesOutWhatABundleCannotCarryAndNothingElse() {
        Set<String> manifests = generator.generate(releases.get(0)).keySet();
        assertThat(manifests).noneMatch(f -> f.contains("node-proxy") || f.contains("netplane-dns_")
                || f.contains("namespace") || f.contains("ingressclass") || f.contains("webhookconfiguration"));
        assertThat(manifests).contains("manifests/netplane.io_allocations.yaml", "manifests/netplane.io_ipaddresspools.yaml",
                "manifests/netplane.io_netplanes.yaml",
                "manifests/endpoints-operator_v1_configmap.yaml", "manifests/ipam-service_v1_service.yaml",
                "manifests/ingress-gateway_v1_service.yaml", "manifests/policy-operator_v1_service.yaml",
                "manifests/dns-service_policy_v1_poddisruptionbudget.yaml", "metadata/annotations.yaml");
    }

    @Test
    void generationIsReproducible() {
        Map<String, String> first = generator.generate(releases.get(0));
        assertThat(new BundleGenerator(root).generate(releases.get(0))).isEqualTo(first);
        // what is written reads back as the same objects, written the same way (no YAML type surprises)
        first.forEach((file, content) -> assertThat(BundleGenerator.HEADER + BundleYaml.write(BundleYaml.read(content)))
                .as(file).isEqualTo(content));
    }

    @Test
    void displayNamesFromFieldNames() {
        assertThat(CsvBuilder.displayName("namespaceSelector")).isEqualTo("Namespace Selector");
        assertThat(CsvBuilder.displayName("addresses")).isEqualTo("Addresses");
    }

    private static List<String> names(Object entries, String field) {
        return list(entries).stream().map(e -> (String) map(e).get(field)).toList();
    }

    private static Map<String, Object> csv(Path dir) {
        return BundleYaml.document(dir.resolve("manifests").resolve("netplane.clusterserviceversion.yaml"));
    }

    private static Set<String> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static void write(Path dir, Map<String, String> files) throws IOException {
        for (String stale : files(dir)) {
            if (!files.containsKey(stale)) {
                Files.delete(dir.resolve(stale));
            }
        }
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path path = dir.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue());
        }
    }
}
