package io.netplane.testing.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Installs the CustomResourceDefinitions found in {@code k8s/crds/*.yaml} and waits until they are served. */
public final class Crds {
    private Crds() {
    }

    /** Applies every {@code *.yaml} in {@code dir} (server-side apply); returns the CRD names. A missing dir is fine. */
    public static List<String> install(KubernetesClient client, Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<HasMetadata> applied = files
                    .filter(f -> f.getFileName().toString().endsWith(".yaml"))
                    .sorted()
                    .flatMap(f -> load(client, f).stream())
                    .map(item -> client.resource(item).fieldManager("netplane-test").forceConflicts().serverSideApply())
                    .toList();
            List<String> crds = applied.stream().filter(CustomResourceDefinition.class::isInstance)
                    .map(crd -> crd.getMetadata().getName()).toList();
            for (String name : crds) {
                client.apiextensions().v1().customResourceDefinitions().withName(name)
                        .waitUntilCondition(Crds::established, 60, TimeUnit.SECONDS);
            }
            return crds;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The project's CRDs, from the source tree this test runs in. */
    public static List<String> installProjectCrds(KubernetesClient client) {
        return SourceTree.root().map(root -> install(client, root.resolve(SourceTree.CRD_DIR))).orElse(List.of());
    }

    private static List<HasMetadata> load(KubernetesClient client, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return client.load(in).items();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean established(CustomResourceDefinition crd) {
        return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
                && crd.getStatus().getConditions().stream()
                .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
