package io.netplane.ipam.kube;

import io.fabric8.kubernetes.api.model.networking.v1.ServiceCIDR;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.netplane.api.net.Cidr;
import io.netplane.ipam.authority.AddressAuthority;
import io.netplane.runtime.kube.Informers;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Keeps the Service admission's ranges in step with the cluster's {@code networking.k8s.io/v1} ServiceCIDR objects:
 * every replica runs it (every replica serves the webhook). A ServiceCIDR being deleted takes no new addresses, as in
 * the API server; a CIDR that does not parse is left out and logged.
 */
final class ServiceCidrWatch implements ResourceEventHandler<ServiceCIDR>, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ServiceCidrWatch.class);
    private final AddressAuthority authority;
    private final SharedIndexInformer<ServiceCIDR> informer;

    ServiceCidrWatch(KubernetesClient client, AddressAuthority authority) {
        this.authority = authority;
        // the field is set before the first event arrives: inform() would deliver the initial list to a handler
        // whose informer is still null
        this.informer = client.network().v1().serviceCIDRs().runnableInformer(0);
        informer.addEventHandler(this);
        Informers.startRetrying(List.of(informer));
    }

    static List<Cidr> usable(List<ServiceCIDR> objects) {
        List<Cidr> cidrs = new ArrayList<>();
        for (ServiceCIDR o : objects) {
            if (o.getMetadata().getDeletionTimestamp() != null || o.getSpec() == null || o.getSpec().getCidrs() == null) {
                continue;
            }
            for (String c : o.getSpec().getCidrs()) {
                try {
                    cidrs.add(Cidr.parseStrict(c.strip()));
                } catch (IllegalArgumentException e) {
                    LOG.warnf("ServiceCIDR %s: %s left out: %s", o.getMetadata().getName(), c, e.getMessage());
                }
            }
        }
        return cidrs;
    }

    private void refresh() {
        authority.serviceCidrs(usable(informer.getStore().list()));
    }

    @Override
    public void onAdd(ServiceCIDR obj) {
        refresh();
    }

    @Override
    public void onUpdate(ServiceCIDR oldObj, ServiceCIDR newObj) {
        refresh();
    }

    @Override
    public void onDelete(ServiceCIDR obj, boolean deletedFinalStateUnknown) {
        refresh();
    }

    @Override
    public void close() {
        informer.close();
    }
}
