package io.netplane.ipam.kube;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.LoadBalancerStatus;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.netplane.api.events.ObjectRef;
import io.netplane.api.report.Problem;
import io.netplane.ipam.authority.LoadBalancerAssigner;
import io.netplane.ipam.authority.LoadBalancerAssigner.LbService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * After a Service's records are repaired: gives LoadBalancer Services Netplane serves their addresses and writes
 * them to {@code status.loadBalancer.ingress}. What it could not assign comes back as Problems for the Service's
 * Events; what it could not read or write is thrown as {@link SyncFailed}, for the control loop to retry.
 */
public final class LoadBalancerStep {
    /** Upstream's service controller's reason for a LoadBalancer it could not sync. */
    public static final String SYNC_FAILED = "SyncLoadBalancerFailed";
    static final String ALLOCATION_FAILED = "AllocationFailed";

    /** Reading the Service's Namespace or writing its status failed: worth a retry, and told as {@link #SYNC_FAILED}. */
    public static final class SyncFailed extends RuntimeException {
        SyncFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final KubernetesClient client;
    private final LoadBalancerAssigner assigner;
    private final Runnable poolsChanged;

    public LoadBalancerStep(KubernetesClient client, LoadBalancerAssigner assigner, Runnable poolsChanged) {
        this.client = client;
        this.assigner = assigner;
        this.poolsChanged = poolsChanged;
    }

    /**
     * Assigns (or releases) the Service's addresses and writes its ingress where it changed.
     *
     * @return the warnings to record on the Service (no address for a family, a requested address taken)
     * @throws SyncFailed when the Namespace could not be read or the status not written
     */
    public List<Problem> sync(Service svc) {
        LbService lb = ServiceInputs.loadBalancer(svc);
        boolean ours = assigner.serves(lb);
        Map<String, String> nsLabels = Map.of();
        if (ours && assigner.pools().stream().anyMatch(p -> p.verdict().pool().namespaceSelector() != null)) {
            nsLabels = namespaceLabels(svc.getMetadata().getNamespace());
        }
        LoadBalancerAssigner.Outcome out = assigner.assign(ServiceInputs.owner(svc), lb, nsLabels);
        // a pool's status (used, Exhausted) follows every address taken or given back, also by a Service that is no
        // longer ours (its type changed: the API server has cleared its ingress by then), not only a pool running
        // out; the status keys are de-duplicated and written only where they changed
        poolsChanged.run();
        if (!ours) {
            return List.of();
        }
        writeIngress(svc, out.ingress());
        return out.warnings().stream().map(w -> Problem.warning(ALLOCATION_FAILED, w)).toList();
    }

    /** Releases the addresses of a Service that is gone. */
    public void released(ObjectRef owner) {
        assigner.assign(owner, ServiceInputs.gone(), Map.of());
        poolsChanged.run();
    }

    private static List<String> currentIngress(Service svc) {
        List<String> current = new ArrayList<>();
        LoadBalancerStatus st = svc.getStatus() == null ? null : svc.getStatus().getLoadBalancer();
        if (st != null && st.getIngress() != null) {
            st.getIngress().forEach(i -> current.add(i.getIp()));
        }
        return current;
    }

    private Map<String, String> namespaceLabels(String name) {
        try {
            Namespace ns = client.namespaces().withName(name).get();
            return ns == null || ns.getMetadata().getLabels() == null ? Map.of() : ns.getMetadata().getLabels();
        } catch (KubernetesClientException e) {
            throw new SyncFailed("could not read Namespace " + name + ": " + e.getMessage(), e);
        }
    }

    private void writeIngress(Service svc, List<String> ips) {
        List<String> current = currentIngress(svc);
        if (Objects.equals(current, ips)) {
            return;
        }
        List<LoadBalancerIngress> ingress = ips.stream()
                .map(ip -> new LoadBalancerIngressBuilder().withIp(ip).withIpMode("VIP").build()).toList();
        try {
            client.services().inNamespace(svc.getMetadata().getNamespace()).withName(svc.getMetadata().getName())
                    .editStatus(s -> {
                        s.getStatus().setLoadBalancer(new LoadBalancerStatus(ingress));
                        return s;
                    });
        } catch (KubernetesClientException e) {
            throw new SyncFailed("could not write status.loadBalancer.ingress " + ips + ": " + e.getMessage(), e);
        }
    }
}
