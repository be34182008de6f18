package io.netplane.install.model;

import io.netplane.api.names.KubernetesNames;
import io.netplane.api.net.Cidr;
import io.netplane.api.net.IpAddress;
import io.netplane.api.net.IpFamily;
import io.netplane.api.report.Problem;
import io.netplane.install.crd.NetplaneSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The semantic checks of a Netplane spec that the CRD schema cannot make: CIDR and address syntax, one CIDR per
 * family, the same families in the same order everywhere, DNS addresses inside their service CIDR, broker
 * {@code host:port} syntax, name syntax. Each problem is a Warning {@value #REASON} naming the field and the value.
 * The schema's defaults are applied again here, so a spec read without them means the same.
 */
public final class SpecValidator {
    public static final String REASON = "InvalidSpec";
    static final String DEFAULT_CLUSTER_DOMAIN = "cluster.local";
    static final String DEFAULT_PROXY_MODE = "nftables";
    static final Set<String> PROXY_MODES = Set.of("nftables", "userspace");
    static final String DEFAULT_INGRESS_CLASS = "netplane";

    private final List<Problem> problems = new ArrayList<>();

    private SpecValidator() {
    }

    public static Validation validate(NetplaneSpec spec) {
        return new SpecValidator().check(spec);
    }

    private Validation check(NetplaneSpec spec) {
        if (spec == null) {
            problem("spec", "is required");
            return new Validation(Optional.empty(), problems);
        }
        List<Cidr> service = cidrs("spec.serviceCIDRs", spec.serviceCIDRs());
        List<Cidr> pod = cidrs("spec.podCIDRs", spec.podCIDRs());
        if (service != null && pod != null) {
            sameFamilies("spec.podCIDRs", pod, service);
        }
        String bootstrap = bootstrapServers(spec.kafka() == null ? null : spec.kafka().bootstrapServers());
        NetplaneSpec.Dns dns = spec.dns();
        String domain = dns == null || dns.clusterDomain() == null ? DEFAULT_CLUSTER_DOMAIN : dns.clusterDomain();
        subdomain("spec.dns.clusterDomain", domain);
        List<IpAddress> dnsIps = dnsServiceIps(dns == null ? null : dns.serviceIPs(), service);
        NetplaneSpec.NodeProxy proxy = spec.nodeProxy();
        String mode = proxy == null || proxy.mode() == null ? DEFAULT_PROXY_MODE : proxy.mode();
        if (!PROXY_MODES.contains(mode)) {
            problem("spec.nodeProxy.mode", quote(mode) + " is not a node-proxy mode: use nftables or userspace");
        }
        boolean enforce = proxy == null || proxy.policyEnforcement() == null || proxy.policyEnforcement();
        NetplaneSpec.Ingress ingress = spec.ingress();
        String className = ingress == null || ingress.className() == null ? DEFAULT_INGRESS_CLASS : ingress.className();
        subdomain("spec.ingress.className", className);
        boolean defaultClass = ingress != null && Boolean.TRUE.equals(ingress.defaultClass());
        if (!problems.isEmpty()) {
            return new Validation(Optional.empty(), problems);
        }
        return new Validation(Optional.of(new InstallSettings(service, pod, bootstrap, domain, dnsIps, mode, enforce,
                className, defaultClass)), problems);
    }

    /** One or two CIDRs, at most one per family; null when any is wrong (reported). */
    private List<Cidr> cidrs(String field, List<String> values) {
        if (values == null || values.isEmpty()) {
            problem(field, "is required: one CIDR, or two of different IP families");
            return null;
        }
        if (values.size() > 2) {
            problem(field, "has " + values.size() + " CIDRs " + values + ": at most two, one per IP family");
            return null;
        }
        List<Cidr> out = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String at = field + "[" + i + "]";
            try {
                out.add(Cidr.parseStrict(Objects.requireNonNullElse(values.get(i), "")));
            } catch (IllegalArgumentException e) {
                problem(at, quote(values.get(i)) + " is not a valid CIDR: " + e.getMessage());
                return null;
            }
        }
        if (out.size() == 2 && out.get(0).family() == out.get(1).family()) {
            problem(field, "has two " + out.get(0).family() + " CIDRs " + values + ": give at most one per IP family");
            return null;
        }
        return out;
    }

    /** {@code field} lists the families of {@code reference} (spec.serviceCIDRs) in the same order. */
    private void sameFamilies(String field, List<Cidr> cidrs, List<Cidr> reference) {
        List<IpFamily> want = reference.stream().map(Cidr::family).toList();
        List<IpFamily> got = cidrs.stream().map(Cidr::family).toList();
        if (!got.equals(want)) {
            problem(field, "has the IP families " + got + ", but spec.serviceCIDRs has " + want
                    + ": give one CIDR per family, in the same order");
        }
    }

    private String bootstrapServers(String value) {
        String field = "spec.kafka.bootstrapServers";
        if (value == null || value.isBlank()) {
            problem(field, "is required: a comma-separated list of host:port");
            return null;
        }
        List<String> servers = new ArrayList<>();
        for (String raw : value.split(",", -1)) {
            String server = raw.strip();
            Optional<String> why = HostPort.check(server);
            if (why.isPresent()) {
                problem(field, quote(server) + " is not host:port: " + why.get());
            } else {
                servers.add(server);
            }
        }
        return String.join(",", servers);
    }

    /** One address per service family, in the same order, each inside its family's service CIDR. */
    private List<IpAddress> dnsServiceIps(List<String> values, List<Cidr> service) {
        String field = "spec.dns.serviceIPs";
        if (values == null || values.isEmpty()) {
            problem(field, "is required: the DNS Service's ClusterIP per service CIDR");
            return null;
        }
        List<IpAddress> out = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            try {
                out.add(IpAddress.parse(values.get(i)));
            } catch (IllegalArgumentException e) {
                problem(field + "[" + i + "]", quote(values.get(i)) + " is not an IP address: " + e.getMessage());
                return null;
            }
        }
        if (service == null) {
            return out;
        }
        if (out.size() != service.size()) {
            problem(field, "has " + out.size() + " addresses " + values + ", but spec.serviceCIDRs has "
                    + service.size() + " CIDRs: give one address per service CIDR, in the same order");
            return null;
        }
        for (int i = 0; i < out.size(); i++) {
            if (!service.get(i).contains(out.get(i))) {
                problem(field + "[" + i + "]", quote(values.get(i)) + " is not inside spec.serviceCIDRs[" + i + "] "
                        + service.get(i) + ": the DNS Service's ClusterIP must be in the service CIDR of its family");
            }
        }
        return out;
    }

    private void subdomain(String field, String value) {
        List<String> errors = KubernetesNames.validateDns1123Subdomain(value);
        if (!errors.isEmpty()) {
            problem(field, quote(value) + " is not a DNS-1123 subdomain: " + String.join("; ", errors));
        }
    }

    private void problem(String field, String what) {
        problems.add(Problem.warning(REASON, field + ": " + what));
    }

    private static String quote(String value) {
        return value == null ? "null" : "\"" + value + "\"";
    }
}
