package io.netplane.ipam.kube;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.LoadBalancerStatus;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.netplane.ipam.authority.LoadBalancerAssigner;
import io.netplane.ipam.authority.LoadBalancerAssigner.LbService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * After a Service's records are repaired: gives LoadBalancer Services Netplane serves their addresses and writes
 * them to {@code status.loadBalancer.ingress}; reports what it could not do as Events. Requested addresses come from
 * {@code spec.loadBalancerIP} or the annotation {@value #REQUESTED_ANNOTATION} (comma-separated, one per family).
 */
public final class LoadBalancerStep implements Consumer<Service> {
    public static final String REQUESTED_ANNOTATION = "netplane.io/load-balancer-ips";
    private static final Logger LOG = Logger.getLogger(LoadBalancerStep.class);
    private final KubernetesClient client;
    private final LoadBalancerAssigner assigner;
    private final EventRecorder events;
    private final Runnable poolsChanged;

    public LoadBalancerStep(KubernetesClient client, LoadBalancerAssigner assigner, EventRecorder events,
            Runnable poolsChanged) {
        this.client = client;
        this.assigner = assigner;
        this.events = events;
        this.poolsChanged = poolsChanged;
    }

    @Override
    public void accept(Service svc) {
        LbService lb = cut(svc);
        boolean ours = assigner.serves(lb);
        Map<String, String> nsLabels = Map.of();
        if (ours && assigner.pools().stream().anyMatch(p -> p.verdict().pool().namespaceSelector() != null)) {
            Namespace ns = client.namespaces().withName(svc.getMetadata().getNamespace()).get();
            nsLabels = ns == null || ns.getMetadata().getLabels() == null ? Map.of() : ns.getMetadata().getLabels();
        }
        LoadBalancerAssigner.Outcome out = assigner.assign(ServiceCut.owner(svc), lb, nsLabels);
        if (!ours) {
            return;
        }
        out.warnings().forEach(w -> events.warning(svc, "AllocationFailed", w));
        if (!out.exhaustedPools().isEmpty()) {
            poolsChanged.run();
        }
        List<String> current = new ArrayList<>();
        LoadBalancerStatus st = svc.getStatus() == null ? null : svc.getStatus().getLoadBalancer();
        if (st != null && st.getIngress() != null) {
            st.getIngress().forEach(i -> current.add(i.getIp()));
        }
        if (!Objects.equals(current, out.ingress())) {
            List<LoadBalancerIngress> ingress = out.ingress().stream()
                    .map(ip -> new LoadBalancerIngressBuilder().withIp(ip).withIpMode("VIP").build()).toList();
            try {
                client.services().inNamespace(svc.getMetadata().getNamespace()).withName(svc.getMetadata().getName())
                        .editStatus(s -> {
                            s.getStatus().setLoadBalancer(new LoadBalancerStatus(ingress));
                            return s;
                        });
            } catch (KubernetesClientException e) {
                LOG.warnf("could not write status.loadBalancer of %s/%s: %s", svc.getMetadata().getNamespace(),
                        svc.getMetadata().getName(), e.getMessage());
            }
        }
    }

    static LbService cut(Service svc) {
        var spec = svc.getSpec();
        List<String> requested = new ArrayList<>();
        if (spec.getLoadBalancerIP() != null && !spec.getLoadBalancerIP().isBlank()) {
            requested.add(spec.getLoadBalancerIP().strip());
        }
        Map<String, String> ann = svc.getMetadata().getAnnotations();
        if (ann != null && ann.get(REQUESTED_ANNOTATION) != null) {
            Arrays.stream(ann.get(REQUESTED_ANNOTATION).split(",")).map(String::strip).filter(s -> !s.isEmpty())
                    .forEach(requested::add);
        }
        return new LbService(spec.getType(), spec.getLoadBalancerClass(), spec.getIpFamilies(), requested,
                svc.getMetadata().getLabels(), svc.getMetadata().getDeletionTimestamp() != null);
    }
}
