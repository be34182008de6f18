package io.netplane.testing.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * One control plane per test JVM, started on first use (with the project's CRDs installed) and stopped when the JVM
 * exits. Tests isolate themselves with their own namespaces.
 */
public final class SharedKubeApiServer {
    private static KubeApiServer server;

    private SharedKubeApiServer() {
    }

    public static synchronized KubeApiServer server() {
        if (server == null) {
            long t0 = System.nanoTime();
            KubeApiServer started = KubeApiServer.start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "netplane-kube-apiserver-stop"));
            List<String> crds;
            try (KubernetesClient client = started.newClient()) {
                crds = Crds.installProjectCrds(client);
            }
            server = started;
            System.out.printf("[netplane-test] kube-apiserver on %s started in %d ms, CRDs %s, kubeconfig %s%n",
                    started.url(), (System.nanoTime() - t0) / 1_000_000, crds, started.kubeconfig());
        }
        return server;
    }
}
