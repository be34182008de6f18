package io.netplane.testing.olm;

import static io.netplane.testing.olm.BundleGenerator.byField;
import static io.netplane.testing.olm.BundleGenerator.kind;
import static io.netplane.testing.olm.BundleGenerator.list;
import static io.netplane.testing.olm.BundleGenerator.map;
import static io.netplane.testing.olm.BundleGenerator.name;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Builds the ClusterServiceVersion of one release from the k8s/ objects and the metadata of csv.yaml. */
final class CsvBuilder {
    private final Map<String, Object> config;
    private final List<Map<String, Object>> objects;
    private final Path root;

    CsvBuilder(Map<String, Object> config, List<Map<String, Object>> objects, Path root) {
        this.config = config;
        this.objects = objects;
        this.root = root;
    }

    Map<String, Object> build(BundleGenerator.Release release, String packageName) {
        Map<String, Object> meta = map(config.get("metadata"));
        List<Map<String, Object>> deployments = deployments();
        Map<String, Object> spec = new TreeMap<>();
        spec.put("displayName", meta.get("displayName"));
        spec.put("icon", List.of(Map.of("mediatype", "image/svg+xml", "base64data", icon((String) meta.get("icon")))));
        spec.put("description", meta.get("description"));
        spec.put("provider", meta.get("provider"));
        spec.put("maturity", meta.get("maturity"));
        spec.put("keywords", meta.get("keywords"));
        spec.put("links", meta.get("links"));
        spec.put("maintainers", meta.get("maintainers"));
        spec.put("version", release.version());
        if (release.replaces() != null) {
            spec.put("replaces", packageName + ".v" + release.replaces());
        }
        spec.put("minKubeVersion", String.valueOf(config.get("minKubeVersion")));
        spec.put("installModes", List.of(
                Map.of("type", "OwnNamespace", "supported", false),
                Map.of("type", "SingleNamespace", "supported", false),
                Map.of("type", "MultiNamespace", "supported", false),
                Map.of("type", "AllNamespaces", "supported", true)));
        spec.put("customresourcedefinitions", Map.of("owned", ownedCrds()));
        spec.put("install", Map.of("strategy", "deployment", "spec", Map.of(
                "deployments", deployments,
                "clusterPermissions", permissions("ClusterRoleBinding"),
                "permissions", permissions("RoleBinding"))));
        spec.put("webhookdefinitions", webhooks());
        spec.put("relatedImages", relatedImages(deployments));

        Map<String, Object> annotations = new TreeMap<>(map(config.get("annotations")));
        annotations.put("alm-examples", BundleYaml.json(examples(), true));
        annotations.put("operators.operatorframework.io/internal-objects", BundleYaml.json(config.get("internalObjects"), false));
        Map<String, Object> csv = new LinkedHashMap<>();
        csv.put("apiVersion", "operators.coreos.com/v1alpha1");
        csv.put("kind", "ClusterServiceVersion");
        csv.put("metadata", Map.of("name", packageName + ".v" + release.version(), "annotations", annotations));
        csv.put("spec", spec);
        return csv;
    }

    /**
     * Every Deployment of k8s/, by name; the cluster's settings come from the install operator's ConfigMap
     * (ClusterSettings), and the webhook's server gets its certificate where OLM mounts it.
     */
    private List<Map<String, Object>> deployments() {
        Optional<String> webhookServer = webhookObjects().stream().findFirst().map(this::webhookDeployment);
        Map<String, Map<String, Object>> configMaps = new TreeMap<>();
        ofKind("ConfigMap").forEach(c -> configMaps.put(name(c), map(c.get("data"))));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> d : ofKind("Deployment")) {
            Map<String, Object> spec = ClusterSettings.readFromConfigMap(map(d.get("spec")), configMaps);
            if (webhookServer.isPresent() && webhookServer.get().equals(name(d))) {
                spec = WebhookCertificates.servedFromOlm(spec, name(d));
            }
            Map<String, Object> entry = new TreeMap<>();
            entry.put("name", name(d));
            entry.put("label", map(map(d.get("metadata")).get("labels")));
            entry.put("spec", spec);
            out.add(entry);
        }
        out.sort(byField("name"));
        return out;
    }

    /**
     * Permissions per ServiceAccount: the rules of every role bound to it by a binding of {@code bindingKind}
     * (ClusterRoleBinding: cluster-wide; RoleBinding: in the install namespace), in binding-name order.
     */
    private List<Map<String, Object>> permissions(String bindingKind) {
        Map<String, List<Object>> rulesByAccount = new TreeMap<>();
        List<Map<String, Object>> bindings = new ArrayList<>(ofKind(bindingKind));
        bindings.sort((a, b) -> name(a).compareTo(name(b)));
        for (Map<String, Object> binding : bindings) {
            Map<String, Object> ref = map(binding.get("roleRef"));
            Map<String, Object> role = ofKind((String) ref.get("kind")).stream()
                    .filter(r -> name(r).equals(ref.get("name"))).findFirst()
                    .orElseThrow(() -> new IllegalStateException(bindingKind + " " + name(binding) + " refers to "
                            + ref.get("kind") + " " + ref.get("name") + ", which k8s/ does not define"));
            for (Object s : list(binding.get("subjects"))) {
                Map<String, Object> subject = map(s);
                if (!"ServiceAccount".equals(subject.get("kind"))) {
                    throw new IllegalStateException(bindingKind + " " + name(binding) + " binds a " + subject.get("kind")
                            + ": a CSV grants permissions to ServiceAccounts only");
                }
                rulesByAccount.computeIfAbsent((String) subject.get("name"), k -> new ArrayList<>())
                        .addAll(list(role.get("rules")));
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        rulesByAccount.forEach((account, rules) -> out.add(Map.of("serviceAccountName", account, "rules", rules)));
        return out;
    }

    static boolean hasPermissions(List<Map<String, Object>> objects, String serviceAccount) {
        return objects.stream().filter(o -> kind(o).endsWith("RoleBinding"))
                .flatMap(b -> list(b.get("subjects")).stream()).map(BundleGenerator::map)
                .anyMatch(s -> "ServiceAccount".equals(s.get("kind")) && serviceAccount.equals(s.get("name")));
    }

    private List<Map<String, Object>> webhookObjects() {
        List<Map<String, Object>> out = new ArrayList<>(ofKind("MutatingWebhookConfiguration"));
        out.addAll(ofKind("ValidatingWebhookConfiguration"));
        return out;
    }

    /** One webhook definition per webhook of k8s/'s webhook configurations, served by the Deployment behind it. */
    private List<Map<String, Object>> webhooks() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> configuration : webhookObjects()) {
            String type = kind(configuration).equals("MutatingWebhookConfiguration")
                    ? "MutatingAdmissionWebhook" : "ValidatingAdmissionWebhook";
            for (Object w : list(configuration.get("webhooks"))) {
                Map<String, Object> webhook = map(w);
                Map<String, Object> service = map(map(webhook.get("clientConfig")).get("service"));
                int port = ((Number) service.getOrDefault("port", 443)).intValue();
                Map<String, Object> def = new TreeMap<>();
                def.put("type", type);
                def.put("generateName", webhook.get("name"));
                def.put("deploymentName", webhookDeployment(configuration));
                def.put("containerPort", port);
                def.put("targetPort", targetPort((String) service.get("name"), port));
                def.put("webhookPath", service.get("path"));
                for (String field : List.of("admissionReviewVersions", "failurePolicy", "matchPolicy",
                        "namespaceSelector", "objectSelector", "reinvocationPolicy", "rules", "sideEffects",
                        "timeoutSeconds")) {
                    if (webhook.containsKey(field)) {
                        def.put(field, webhook.get(field));
                    }
                }
                out.add(def);
            }
        }
        out.sort(byField("generateName"));
        return out;
    }

    /** The Deployment whose Pods the Service in the configuration's (first) clientConfig selects. */
    private String webhookDeployment(Map<String, Object> configuration) {
        Map<String, Object> first = map(list(configuration.get("webhooks")).get(0));
        String serviceName = (String) map(map(first.get("clientConfig")).get("service")).get("name");
        Map<String, Object> selector = map(map(service(serviceName).get("spec")).get("selector"));
        return ofKind("Deployment").stream()
                .filter(d -> map(map(map(d.get("spec")).get("template")).get("metadata")).get("labels") instanceof Map<?, ?> l
                        && l.entrySet().containsAll(selector.entrySet()))
                .map(BundleGenerator::name).findFirst()
                .orElseThrow(() -> new IllegalStateException("no Deployment behind the webhook Service " + serviceName));
    }

    private Object targetPort(String serviceName, int port) {
        return list(map(service(serviceName).get("spec")).get("ports")).stream().map(BundleGenerator::map)
                .filter(p -> ((Number) p.get("port")).intValue() == port)
                .map(p -> p.getOrDefault("targetPort", port)).findFirst()
                .orElseThrow(() -> new IllegalStateException("Service " + serviceName + " has no port " + port));
    }

    private Map<String, Object> service(String name) {
        return ofKind("Service").stream().filter(s -> name(s).equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("k8s/ defines no Service " + name));
    }

    /**
     * Every image the Deployments run, and every image a Deployment is told to run elsewhere by a
     * {@code RELATED_IMAGE_<NAME>} variable (OLM's convention: the install operator's node-proxy image), named
     * after its repository, by name.
     */
    private static List<Map<String, Object>> relatedImages(List<Map<String, Object>> deployments) {
        Map<String, String> byName = new TreeMap<>();
        for (Map<String, Object> d : deployments) {
            Map<String, Object> pod = map(map(map(d.get("spec")).get("template")).get("spec"));
            List<Object> containers = new ArrayList<>(list(pod.get("initContainers")));
            containers.addAll(list(pod.get("containers")));
            List<String> images = new ArrayList<>();
            for (Object c : containers) {
                images.add((String) map(c).get("image"));
                list(map(c).get("env")).stream().map(BundleGenerator::map)
                        .filter(e -> ((String) e.get("name")).startsWith("RELATED_IMAGE_") && e.get("value") != null)
                        .forEach(e -> images.add((String) e.get("value")));
            }
            for (String image : images) {
                String repository = image.replaceFirst("[:@].*$", "");
                String name = repository.substring(repository.lastIndexOf('/') + 1);
                String previous = byName.put(name, image);
                if (previous != null && !previous.equals(image)) {
                    throw new IllegalStateException("two images named " + name + ": " + previous + ", " + image);
                }
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        byName.forEach((name, image) -> out.add(Map.of("name", name, "image", image)));
        return out;
    }

    /** The owned CRDs with their spec and status descriptors, described in csv.yaml field by field. */
    private List<Map<String, Object>> ownedCrds() {
        Map<String, Object> described = map(config.get("crds"));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> crd : ofKind("CustomResourceDefinition")) {
            String name = name(crd);
            Map<String, Object> text = map(described.get(name));
            if (text.isEmpty()) {
                throw new IllegalStateException("CRD " + name + " is not described in " + BundleGenerator.CSV_SOURCE);
            }
            Map<String, Object> spec = map(crd.get("spec"));
            Map<String, Object> version = list(spec.get("versions")).stream().map(BundleGenerator::map)
                    .filter(v -> Boolean.TRUE.equals(v.get("storage"))).findFirst()
                    .orElseThrow(() -> new IllegalStateException("CRD " + name + " has no storage version"));
            Map<String, Object> schema = map(map(map(version.get("schema")).get("openAPIV3Schema")).get("properties"));
            Map<String, Object> owned = new TreeMap<>();
            owned.put("name", name);
            owned.put("version", version.get("name"));
            owned.put("kind", map(spec.get("names")).get("kind"));
            owned.put("displayName", text.get("displayName"));
            owned.put("description", text.get("description"));
            owned.put("specDescriptors", descriptors(name, "spec", schema, text));
            owned.put("statusDescriptors", descriptors(name, "status", schema, text));
            out.add(owned);
        }
        out.sort(byField("name"));
        return out;
    }

    private static List<Map<String, Object>> descriptors(String crd, String part, Map<String, Object> schema,
            Map<String, Object> text) {
        Map<String, Object> fields = map(map(schema.get(part)).get("properties"));
        Map<String, Object> descriptions = map(text.get(part));
        for (String documented : descriptions.keySet()) {
            if (!fields.containsKey(documented)) {
                throw new IllegalStateException(crd + " has no field " + part + "." + documented + " but "
                        + BundleGenerator.CSV_SOURCE + " describes one");
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (String field : new TreeMap<>(fields).keySet()) {
            Map<String, Object> d = map(descriptions.get(field));
            if (d.get("description") == null) {
                throw new IllegalStateException(crd + " field " + part + "." + field + " has no description in "
                        + BundleGenerator.CSV_SOURCE);
            }
            Map<String, Object> descriptor = new TreeMap<>();
            descriptor.put("path", field);
            descriptor.put("displayName", displayName(field));
            descriptor.put("description", d.get("description"));
            if (d.containsKey("x-descriptors")) {
                descriptor.put("x-descriptors", d.get("x-descriptors"));
            }
            out.add(descriptor);
        }
        return out;
    }

    /** {@code namespaceSelector} -> {@code Namespace Selector}. */
    static String displayName(String field) {
        String spaced = field.replaceAll("([a-z0-9])([A-Z])", "$1 $2");
        return Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
    }

    private String icon(String file) {
        try {
            return Base64.getEncoder().encodeToString(Files.readAllBytes(root.resolve(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("reading the icon " + file, e);
        }
    }

    private List<Map<String, Object>> examples() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object file : list(config.get("examples"))) {
            out.addAll(BundleYaml.documents(root.resolve((String) file)));
        }
        return out;
    }

    private List<Map<String, Object>> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(kind(o))).toList();
    }
}
