package io.netplane.testing.olm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Generates the OLM bundle {@code bundle/netplane/<version>/} (registry+v1: {@code manifests/} and
 * {@code metadata/annotations.yaml}) from the objects {@code k8s/kustomization.yaml} lists and the metadata in
 * {@code hack/olm/csv.yaml}. Deployments become the CSV's install strategy, ServiceAccounts with their
 * (Cluster)Role bindings its permissions, the admission webhook a webhook definition; CRDs, Services, ConfigMaps
 * and PodDisruptionBudgets become bundle manifests. What a bundle cannot carry is left out on purpose
 * ({@link #LEFT_OUT}); any other kind fails the generation, so a new kind in k8s/ is a decision, not an accident.
 * The output depends on nothing but those files: no clock, keys sorted, lists in source or name order.
 */
final class BundleGenerator {
    static final String CSV_SOURCE = "hack/olm/csv.yaml";
    static final String KUSTOMIZATION = "k8s/kustomization.yaml";
    static final String HEADER = "# Generated from k8s/ and " + CSV_SOURCE + " by BundleGenerator; do not edit (see "
            + CSV_SOURCE + ")\n";
    /** Where OLM mounts the serving certificate it makes for a webhook (tls.crt, tls.key). */
    static final String OLM_WEBHOOK_CERT_DIR = "/tmp/k8s-webhook-server/serving-certs";
    /** The Quarkus settings that point the HTTPS server at its certificate files, and the file each names. */
    static final Map<String, String> TLS_FILE_ENV = Map.of(
            "QUARKUS_HTTP_SSL_CERTIFICATE_FILES", "tls.crt",
            "QUARKUS_HTTP_SSL_CERTIFICATE_KEY_FILES", "tls.key");
    /** Objects of k8s/ that no bundle can hold, and what becomes of them. */
    static final Map<String, String> LEFT_OUT = Map.of(
            "Namespace/netplane-system", "OLM installs into the namespace of the OperatorGroup",
            "DaemonSet/node-proxy", "a bundle holds no DaemonSet: install-operator makes it from the Netplane resource",
            "IngressClass/netplane", "a bundle holds no IngressClass: install-operator makes it from the Netplane resource",
            "Service/netplane-dns", "its ClusterIP is the cluster's clusterDNS address: install-operator makes it from the"
                    + " Netplane resource");
    static final List<String> RBAC_KINDS = List.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role",
            "RoleBinding");
    /** Kinds copied into manifests/ as they are (less their namespace: OLM sets the install namespace). */
    static final List<String> COPIED_KINDS = List.of("Service", "ConfigMap", "Secret", "PodDisruptionBudget");

    record Release(String version, String replaces) {
    }

    private final Path root;
    private final Map<String, Object> config;
    private final List<Map<String, Object>> objects = new ArrayList<>();

    BundleGenerator(Path root) {
        this.root = root;
        this.config = BundleYaml.document(root.resolve(CSV_SOURCE));
        Path k8s = root.resolve("k8s");
        for (Object resource : list(BundleYaml.document(root.resolve(KUSTOMIZATION)).get("resources"))) {
            objects.addAll(BundleYaml.documents(k8s.resolve((String) resource)));
        }
    }

    String packageName() {
        return (String) config.get("package");
    }

    /** The release chain of csv.yaml, newest first. */
    List<Release> releases() {
        return list(config.get("releases")).stream().map(BundleGenerator::map)
                .map(r -> new Release(String.valueOf(r.get("version")), (String) r.get("replaces"))).toList();
    }

    /** The bundle's files by path relative to its directory, with their content. */
    Map<String, String> generate(Release release) {
        Map<String, String> files = new TreeMap<>();
        Map<String, Object> csv = new CsvBuilder(config, objects, root).build(release, packageName());
        files.put("manifests/" + packageName() + ".clusterserviceversion.yaml", HEADER + BundleYaml.write(csv));
        for (Map<String, Object> object : objects) {
            String kind = kind(object);
            String key = kind + "/" + name(object);
            if (LEFT_OUT.containsKey(key) || RBAC_KINDS.contains(kind) || kind.equals("Deployment")
                    || kind.equals("MutatingWebhookConfiguration") || kind.equals("ValidatingWebhookConfiguration")) {
                continue;
            }
            if (kind.equals("CustomResourceDefinition")) {
                Map<String, Object> spec = map(object.get("spec"));
                String file = spec.get("group") + "_" + map(spec.get("names")).get("plural") + ".yaml";
                files.put("manifests/" + file, HEADER + BundleYaml.write(object));
            } else if (COPIED_KINDS.contains(kind)) {
                files.put("manifests/" + manifestFile(object), HEADER + BundleYaml.write(withoutNamespace(object)));
            } else {
                throw new IllegalStateException(key + " from k8s/ has no place in the bundle: add it to "
                        + "BundleGenerator.LEFT_OUT with a reason, or handle its kind");
            }
        }
        for (Map<String, Object> object : objects) {
            if (kind(object).equals("ServiceAccount") && !CsvBuilder.hasPermissions(objects, name(object))) {
                // OLM creates the ServiceAccounts the CSV grants permissions to; any other one ships as a manifest
                files.put("manifests/" + manifestFile(object), HEADER + BundleYaml.write(withoutNamespace(object)));
            }
        }
        files.put("metadata/annotations.yaml", HEADER + BundleYaml.write(annotations()));
        return files;
    }

    private Map<String, Object> annotations() {
        String channel = (String) config.get("channel");
        Map<String, Object> annotations = new TreeMap<>();
        annotations.put("operators.operatorframework.io.bundle.channel.default.v1", channel);
        annotations.put("operators.operatorframework.io.bundle.channels.v1", channel);
        annotations.put("operators.operatorframework.io.bundle.manifests.v1", "manifests/");
        annotations.put("operators.operatorframework.io.bundle.mediatype.v1", "registry+v1");
        annotations.put("operators.operatorframework.io.bundle.metadata.v1", "metadata/");
        annotations.put("operators.operatorframework.io.bundle.package.v1", packageName());
        return Map.of("annotations", annotations);
    }

    /** {@code <name>_<group>_<version>_<kind>.yaml}, the naming operator bundles use for their extra manifests. */
    static String manifestFile(Map<String, Object> object) {
        String apiVersion = ((String) object.get("apiVersion")).replace('/', '_');
        return name(object) + "_" + apiVersion + "_" + kind(object).toLowerCase() + ".yaml";
    }

    static Map<String, Object> withoutNamespace(Map<String, Object> object) {
        Map<String, Object> copy = new LinkedHashMap<>(object);
        Map<String, Object> metadata = new LinkedHashMap<>(map(object.get("metadata")));
        metadata.remove("namespace");
        copy.put("metadata", metadata);
        return copy;
    }

    static String kind(Map<String, Object> object) {
        return (String) object.get("kind");
    }

    static String name(Map<String, Object> object) {
        return (String) map(object.get("metadata")).get("name");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return value == null ? List.of() : (List<Object>) value;
    }

    static Comparator<Map<String, Object>> byField(String field) {
        return Comparator.comparing(m -> Objects.toString(m.get(field), ""));
    }
}
