package io.netplane.ingress.reconciler;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerStatus;
import io.fabric8.kubernetes.api.model.networking.v1.IngressStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netplane.api.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Writes {@code status.loadBalancer.ingress} of a served Ingress: the configured addresses, else the gateway
 * Service's load-balancer addresses. Written only when it differs, so it does not retrigger reconciles.
 */
final class IngressStatusWriter {

    private final KubernetesClient client;

    IngressStatusWriter(KubernetesClient client) {
        this.client = client;
    }

    /** The addresses to publish: configured ones (IP or hostname), else the publish Service's. */
    static List<IngressLoadBalancerIngress> addresses(List<String> configured, Service publishService) {
        List<IngressLoadBalancerIngress> out = new ArrayList<>();
        if (!configured.isEmpty()) {
            for (String address : configured) {
                out.add(isIp(address) ? new IngressLoadBalancerIngress(null, address, null)
                        : new IngressLoadBalancerIngress(address, null, null));
            }
            return out;
        }
        if (publishService != null && publishService.getStatus() != null
                && publishService.getStatus().getLoadBalancer() != null
                && publishService.getStatus().getLoadBalancer().getIngress() != null) {
            for (LoadBalancerIngress lb : publishService.getStatus().getLoadBalancer().getIngress()) {
                out.add(new IngressLoadBalancerIngress(lb.getHostname(), lb.getIp(), null));
            }
        }
        return out;
    }

    private static boolean isIp(String text) {
        try {
            IpAddress.parse(text);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** hostname/ip pairs: the API returns empty port lists where a freshly built status has none. */
    private static List<String> comparable(List<IngressLoadBalancerIngress> addresses) {
        return addresses.stream().map(a -> a.getHostname() + "|" + a.getIp()).toList();
    }

    /** Clears the status of an Ingress this controller no longer serves, if what it holds is ours. */
    void clearIfOurs(Ingress ingress, List<IngressLoadBalancerIngress> ours) {
        List<IngressLoadBalancerIngress> current = ingress.getStatus() == null || ingress.getStatus().getLoadBalancer() == null
                ? List.of() : Objects.requireNonNullElse(ingress.getStatus().getLoadBalancer().getIngress(), List.of());
        if (!current.isEmpty() && comparable(current).equals(comparable(ours))) {
            write(ingress, List.of());
        }
    }

    void write(Ingress ingress, List<IngressLoadBalancerIngress> addresses) {
        List<IngressLoadBalancerIngress> current = ingress.getStatus() == null || ingress.getStatus().getLoadBalancer() == null
                ? List.of() : Objects.requireNonNullElse(ingress.getStatus().getLoadBalancer().getIngress(), List.of());
        if (comparable(current).equals(comparable(addresses))) {
            return;
        }
        client.network().v1().ingresses().inNamespace(ingress.getMetadata().getNamespace())
                .withName(ingress.getMetadata().getName())
                .editStatus(i -> {
                    i.setStatus(new IngressStatus(new IngressLoadBalancerStatus(new ArrayList<>(addresses))));
                    return i;
                });
    }
}
