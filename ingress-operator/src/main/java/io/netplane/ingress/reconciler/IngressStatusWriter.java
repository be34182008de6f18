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
 * Writes {@code status.loadBalancer.ingress} of a served Ingress: where the gateway is reachable, so that
 * {@code kubectl get ingress} shows an ADDRESS. Written only when it differs, so it does not retrigger reconciles.
 */
final class IngressStatusWriter {

    private final KubernetesClient client;

    IngressStatusWriter(KubernetesClient client) {
        this.client = client;
    }

    /**
     * The addresses to publish, first rule that gives any: the configured ones (IP or hostname); the gateway
     * Service's load-balancer addresses and external IPs; its external IPs; its ClusterIPs; the gateway's own listen
     * address when it is a specific one (a controller and gateway in one process without a Service).
     *
     * @param publishService the gateway's Service, or null when there is none
     * @param listenHost the gateway's listen address in this process, or null when no gateway runs here
     */
    static List<IngressLoadBalancerIngress> addresses(List<String> configured, Service publishService,
            String listenHost) {
        if (!configured.isEmpty()) {
            return configured.stream().map(IngressStatusWriter::entry).toList();
        }
        List<IngressLoadBalancerIngress> out = new ArrayList<>();
        if (publishService != null) {
            List<String> externalIPs = publishService.getSpec() == null || publishService.getSpec().getExternalIPs() == null
                    ? List.of() : publishService.getSpec().getExternalIPs();
            if (publishService.getStatus() != null && publishService.getStatus().getLoadBalancer() != null
                    && publishService.getStatus().getLoadBalancer().getIngress() != null) {
                for (LoadBalancerIngress lb : publishService.getStatus().getLoadBalancer().getIngress()) {
                    out.add(new IngressLoadBalancerIngress(lb.getHostname(), lb.getIp(), null));
                }
            }
            externalIPs.forEach(ip -> out.add(entry(ip)));
            if (out.isEmpty()) {
                clusterIPs(publishService).forEach(ip -> out.add(entry(ip)));
            }
        }
        if (out.isEmpty() && listenHost != null && !isWildcard(listenHost)) {
            out.add(entry(listenHost));
        }
        return out;
    }

    private static List<String> clusterIPs(Service service) {
        if (service.getSpec() == null) {
            return List.of();
        }
        List<String> ips = service.getSpec().getClusterIPs() != null && !service.getSpec().getClusterIPs().isEmpty()
                ? service.getSpec().getClusterIPs()
                : service.getSpec().getClusterIP() == null ? List.of() : List.of(service.getSpec().getClusterIP());
        return ips.stream().filter(IngressStatusWriter::isIp).toList();
    }

    private static boolean isWildcard(String host) {
        return host.isBlank() || "0.0.0.0".equals(host) || "::".equals(host) || "[::]".equals(host);
    }

    private static IngressLoadBalancerIngress entry(String address) {
        return isIp(address) ? new IngressLoadBalancerIngress(null, address, null)
                : new IngressLoadBalancerIngress(address, null, null);
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
