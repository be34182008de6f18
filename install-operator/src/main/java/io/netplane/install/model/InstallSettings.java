package io.netplane.install.model;

import io.netplane.api.net.Cidr;
import io.netplane.api.net.IpAddress;
import io.netplane.api.net.IpFamily;
import java.util.List;

/**
 * A Netplane spec that passed {@link SpecValidator}: parsed, defaulted, and consistent (service CIDRs, pod CIDRs and
 * DNS addresses of the same families in the same order, the first one's family the primary).
 */
public record InstallSettings(
        List<Cidr> serviceCidrs,
        List<Cidr> podCidrs,
        String bootstrapServers,
        String clusterDomain,
        List<IpAddress> dnsServiceIps,
        String proxyMode,
        boolean policyEnforcement,
        String ingressClassName,
        boolean defaultIngressClass) {

    public InstallSettings {
        serviceCidrs = List.copyOf(serviceCidrs);
        podCidrs = List.copyOf(podCidrs);
        dnsServiceIps = List.copyOf(dnsServiceIps);
    }

    /** The cluster's IP families, primary first. */
    public List<IpFamily> families() {
        return serviceCidrs.stream().map(Cidr::family).toList();
    }
}
