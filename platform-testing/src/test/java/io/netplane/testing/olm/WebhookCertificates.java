package io.netplane.testing.olm;

import static io.netplane.testing.olm.BundleGenerator.list;
import static io.netplane.testing.olm.BundleGenerator.map;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Under OLM a webhook's serving certificate is OLM's: it makes the Secret, mounts it at
 * {@value BundleGenerator#OLM_WEBHOOK_CERT_DIR} in the Deployment named in the webhook definition and puts the CA
 * into the webhook configuration it creates. k8s/ instead mounts a Secret of its own (made by cert-manager or by
 * hand); this points the Quarkus certificate settings at OLM's files and drops that Secret's volume.
 */
final class WebhookCertificates {
    private WebhookCertificates() {
    }

    static Map<String, Object> servedFromOlm(Map<String, Object> deploymentSpec, String deployment) {
        Map<String, Object> spec = copy(deploymentSpec);
        Map<String, Object> template = copy(map(spec.get("template")));
        Map<String, Object> pod = copy(map(template.get("spec")));
        Set<String> certDirs = new HashSet<>();
        List<Object> containers = new ArrayList<>();
        for (Object c : list(pod.get("containers"))) {
            Map<String, Object> container = copy(map(c));
            List<Object> env = new ArrayList<>();
            for (Object e : list(container.get("env"))) {
                Map<String, Object> var = map(e);
                String file = BundleGenerator.TLS_FILE_ENV.get((String) var.get("name"));
                if (file != null && var.get("value") instanceof String path) {
                    certDirs.add(Path.of(path).getParent().toString());
                    var = copy(var);
                    var.put("value", BundleGenerator.OLM_WEBHOOK_CERT_DIR + "/" + file);
                }
                env.add(var);
            }
            container.put("env", env);
            containers.add(container);
        }
        if (certDirs.isEmpty()) {
            throw new IllegalStateException("the webhook's Deployment " + deployment + " sets none of "
                    + BundleGenerator.TLS_FILE_ENV.keySet() + ": where does it read its certificate?");
        }
        Set<String> certVolumes = new HashSet<>();
        for (Object c : containers) {
            Map<String, Object> container = map(c);
            List<Object> mounts = new ArrayList<>();
            for (Object m : list(container.get("volumeMounts"))) {
                if (certDirs.contains(map(m).get("mountPath"))) {
                    certVolumes.add((String) map(m).get("name"));
                } else {
                    mounts.add(m);
                }
            }
            container.put("volumeMounts", mounts);
        }
        List<Object> volumes = new ArrayList<>();
        for (Object v : list(pod.get("volumes"))) {
            if (!certVolumes.contains(map(v).get("name"))) {
                volumes.add(v);
            }
        }
        pod.put("containers", containers);
        pod.put("volumes", volumes);
        template.put("spec", pod);
        spec.put("template", template);
        return spec;
    }

    private static Map<String, Object> copy(Map<String, Object> map) {
        return new LinkedHashMap<>(map);
    }
}
