package io.netplane.install.reconciler;

import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.netplane.install.crd.Netplane;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * The DNS Service {@code netplane-dns}. ClusterIPs are immutable, so a change of {@code spec.dns.serviceIPs} deletes
 * the Service and creates it again with the new addresses.
 */
@KubernetesDependent(informer = @Informer(namespaces = Constants.WATCH_CURRENT_NAMESPACE))
public class DnsServiceDependent extends CRUDKubernetesDependentResource<Service, Netplane> {
    private static final Logger LOG = Logger.getLogger(DnsServiceDependent.class);

    public DnsServiceDependent() {
        super(Service.class);
    }

    @Override
    protected Service desired(Netplane primary, Context<Netplane> context) {
        return Plans.of(context).dnsService();
    }

    @Override
    public Service update(Service actual, Service desired, Netplane primary, Context<Netplane> context) {
        if (Objects.equals(actual.getSpec().getClusterIPs(), desired.getSpec().getClusterIPs())) {
            return super.update(actual, desired, primary, context);
        }
        LOG.infof("Service %s/%s: ClusterIPs %s -> %s; ClusterIPs are immutable, so it is deleted and created again",
                actual.getMetadata().getNamespace(), actual.getMetadata().getName(), actual.getSpec().getClusterIPs(),
                desired.getSpec().getClusterIPs());
        context.getClient().resource(actual).delete();
        return create(desired, primary, context);
    }
}
