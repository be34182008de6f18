package io.netplane.testing.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;

/** Lease moves for leader-election tests: another replica takes the Lease, as a real takeover would look. */
public final class Leases {
    private static final Duration RENEW_EVERY = Duration.ofMillis(500);

    private Leases() {
    }

    /**
     * Makes {@code holder} the holder of the Lease at once and keeps renewing it for {@code hold} on a thread of its
     * own, as a live replica would; then it stops renewing, and once the candidates' lease duration has passed they
     * may take the Lease again. Returns once the Lease is taken.
     */
    public static Thread holdFor(KubernetesClient client, String namespace, String name, String holder,
            Duration hold) {
        Instant until = Instant.now().plus(hold);
        renew(client, namespace, name, holder);
        Thread renewer = new Thread(() -> {
            while (Instant.now().isBefore(until)) {
                try {
                    Thread.sleep(RENEW_EVERY.toMillis());
                    renew(client, namespace, name, holder);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "lease-holder-" + holder);
        renewer.setDaemon(true);
        renewer.start();
        return renewer;
    }

    /** One renewal by {@code holder}, retried while the current holder's writes conflict with it. */
    public static void renew(KubernetesClient client, String namespace, String name, String holder) {
        for (int attempt = 0; ; attempt++) {
            try {
                client.leases().inNamespace(namespace).withName(name).edit(l -> {
                    l.getSpec().setHolderIdentity(holder);
                    l.getSpec().setRenewTime(ZonedDateTime.now());
                    return l;
                });
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt > 20) {
                    throw e;
                }
            }
        }
    }
}
