package io.netplane.install.reconciler;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.netplane.install.model.InstallNames;
import io.netplane.install.model.Templates;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the k8s/ manifests the build copies onto the classpath under {@code templates/} (see the module's pom).
 * A missing or changed template is a build defect, so it fails loudly at start.
 */
public final class TemplateFiles {
    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    private TemplateFiles() {
    }

    public static Templates load() {
        return new Templates(
                one("node-proxy/daemonset.yaml", DaemonSet.class, InstallNames.NODE_PROXY),
                one("ingress-operator/ingressclass.yaml", IngressClass.class, null),
                one("dns-service/service.yaml", Service.class, InstallNames.DNS_SERVICE),
                one("ipam-service/webhook.yaml", MutatingWebhookConfiguration.class, null),
                documents("kafka/topics.yaml").stream()
                        .filter(o -> "KafkaTopic".equals(o.getKind()))
                        .map(GenericKubernetesResource.class::cast).toList());
    }

    /** The one object of {@code type} (named {@code name} unless null) in the file. */
    private static <T extends HasMetadata> T one(String file, Class<T> type, String name) {
        List<T> found = documents(file).stream().filter(type::isInstance).map(type::cast)
                .filter(o -> name == null || name.equals(o.getMetadata().getName())).toList();
        if (found.size() != 1) {
            throw new IllegalStateException("templates/" + file + " holds " + found.size() + " " + type.getSimpleName()
                    + (name == null ? "" : " named " + name) + ", not one");
        }
        return found.get(0);
    }

    private static List<HasMetadata> documents(String file) {
        String path = "templates/" + file;
        try (InputStream in = TemplateFiles.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is not on the classpath (copied from k8s/ by the build)");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Arrays.stream(text.split("(?m)^---\\s*$"))
                    .filter(TemplateFiles::hasContent)
                    .map(doc -> (HasMetadata) YAML.unmarshal(doc, HasMetadata.class))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    private static boolean hasContent(String doc) {
        return doc.lines().map(String::strip).anyMatch(l -> !l.isEmpty() && !l.startsWith("#"));
    }
}
