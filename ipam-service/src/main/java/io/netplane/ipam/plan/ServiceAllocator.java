package io.netplane.ipam.plan;

import io.netplane.api.net.Cidr;
import io.netplane.api.net.IpAddress;
import io.netplane.api.net.IpFamily;
import io.netplane.ipam.family.ClusterFamilies;
import io.netplane.ipam.family.FamilyPolicyResolver;
import io.netplane.ipam.family.FamilyResolution;
import io.netplane.ipam.family.FieldError;
import io.netplane.ipam.family.ServiceFields;
import io.netplane.ipam.range.AllocationException;
import io.netplane.ipam.range.NodePortRange;
import io.netplane.ipam.range.ServiceIpRange;
import io.netplane.ipam.range.ServiceIpRanges;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * ClusterIP and NodePort allocation for Service create and update, following kube-apiserver's {@code allocateCreate}
 * and {@code allocateUpdate}: family resolution first, then requested values reserved exactly and missing ones taken
 * automatically; same-numbered ports of different protocols share one node port; upgrades allocate the secondary
 * address, downgrades and type changes release what is no longer held. Atomic: a plan that fails reserves nothing.
 * Releases are returned, not applied, so the caller frees them only after the Service write committed.
 */
public final class ServiceAllocator {
    private final ClusterFamilies cluster;
    private final Map<IpFamily, ServiceIpRanges> ranges;
    private final NodePortRange nodePorts;

    public ServiceAllocator(List<ServiceIpRange> ranges, NodePortRange nodePorts) {
        this(ranges, nodePorts, new SecureRandom());
    }

    public ServiceAllocator(List<ServiceIpRange> ranges, NodePortRange nodePorts, RandomGenerator random) {
        this.ranges = new EnumMap<>(IpFamily.class);
        List<IpFamily> order = new ArrayList<>();
        for (ServiceIpRange r : ranges) {
            if (this.ranges.put(r.family(), new ServiceIpRanges(r, random)) != null) {
                throw new IllegalArgumentException("two service CIDRs of family " + r.family());
            }
            order.add(r.family());
        }
        this.cluster = new ClusterFamilies(order);
        this.nodePorts = nodePorts;
    }

    public ClusterFamilies families() {
        return cluster;
    }

    /** The configured range of a family (the default ServiceCIDR). */
    public ServiceIpRange range(IpFamily family) {
        return ranges.get(family).primary();
    }

    /** Every range of a family: the configured one and those of ServiceCIDR objects. */
    public ServiceIpRanges ranges(IpFamily family) {
        return ranges.get(family);
    }

    /**
     * The CIDRs of the cluster's ServiceCIDR objects (any family; those of families the cluster does not have, and
     * the configured ones, are ignored): ClusterIPs inside them become allocatable, as they are for the API server.
     */
    public synchronized void serviceCidrs(List<Cidr> cidrs) {
        ranges.values().forEach(r -> r.further(cidrs));
    }

    public NodePortRange nodePorts() {
        return nodePorts;
    }

    public ServicePlan create(ServiceRequest service) {
        return plan(service, null);
    }

    public ServicePlan update(ServiceRequest service, ServiceRequest old) {
        return plan(service, old);
    }

    /** Frees values (a plan's releases, or everything a deleted Service held). */
    public synchronized void release(List<Grant> grants) {
        for (Grant g : grants) {
            if (Grant.NODE_PORT.equals(g.kind())) {
                nodePorts.release(Integer.parseInt(g.value()));
            } else {
                IpAddress ip = IpAddress.parse(g.value());
                ServiceIpRanges r = ranges.get(ip.family());
                if (r != null) {
                    r.release(ip);
                }
            }
        }
    }

    /** Everything a stored Service holds: its clusterIPs, node ports and health-check node port. */
    public static List<Grant> heldBy(ServiceRequest s) {
        List<Grant> held = new ArrayList<>();
        if (!s.fields().externalName() && !s.fields().headless()) {
            for (String ip : s.fields().clusterIPs()) {
                if (IpAddress.isValid(ip)) {
                    held.add(new Grant(Grant.CLUSTER_IP, IpAddress.canonical(ip),
                            IpAddress.parse(ip).family().name(), true, "spec.clusterIPs"));
                }
            }
        }
        Set<Integer> ports = new LinkedHashSet<>();
        s.ports().stream().filter(p -> p.nodePort() != 0).forEach(p -> ports.add(p.nodePort()));
        if (s.healthCheckNodePort() != 0) {
            ports.add(s.healthCheckNodePort());
        }
        ports.forEach(p -> held.add(new Grant(Grant.NODE_PORT, Integer.toString(p), null, true, "spec.ports")));
        return held;
    }

    private synchronized ServicePlan plan(ServiceRequest req, ServiceRequest old) {
        FamilyResolution resolved = FamilyPolicyResolver.resolve(cluster, req.fields(),
                old == null ? null : old.fields());
        if (!resolved.ok()) {
            return ServicePlan.rejected(req, resolved.errors());
        }
        Txn txn = new Txn();
        try {
            ServiceFields f = old == null || old.fields().externalName() && !resolved.service().externalName()
                    ? allocateAll(resolved.service(), txn)
                    : updateClusterIps(resolved.service(), old.fields(), txn);
            ServiceRequest s = req.with(f, req.ports(), req.healthCheckNodePort());
            s = old == null ? createNodePorts(s, txn) : updateNodePorts(s, old, txn);
            return new ServicePlan(s, txn.grants, txn.releases, List.of());
        } catch (Rejected e) {
            txn.rollback();
            return ServicePlan.rejected(req, List.of(e.error));
        }
    }

    private ServiceFields allocateAll(ServiceFields f, Txn txn) {
        if (f.externalName() || f.headless()) {
            return f;
        }
        List<String> ips = new ArrayList<>(f.clusterIPs());
        for (int i = 0; i < f.ipFamilies().size(); i++) {
            String want = i < ips.size() ? ips.get(i) : "";
            String got = allocateIp(IpFamily.parse(f.ipFamilies().get(i)), want, f.clusterIPs(), txn);
            if (i < ips.size()) {
                ips.set(i, got);
            } else {
                ips.add(got);
            }
        }
        return f.withClusterIPs(ips);
    }

    private ServiceFields updateClusterIps(ServiceFields f, ServiceFields old, Txn txn) {
        if (old.headless()) {
            return f;
        }
        if (f.externalName()) {
            for (int i = 0; i < old.ipFamilies().size() && i < old.clusterIPs().size(); i++) {
                txn.release(ipGrant(old.clusterIPs().get(i), "spec.clusterIPs"));
            }
            return f;
        }
        boolean upgraded = old.ipFamilies().size() == 1 && f.ipFamilies().size() == 2;
        boolean downgraded = old.ipFamilies().size() == 2 && f.ipFamilies().size() == 1;
        if (upgraded) {
            List<String> ips = new ArrayList<>(f.clusterIPs());
            String want = ips.size() > 1 ? ips.get(1) : "";
            String got = allocateIp(IpFamily.parse(f.ipFamilies().get(1)), want, f.clusterIPs(), txn);
            if (ips.size() > 1) {
                ips.set(1, got);
            } else {
                ips.add(got);
            }
            return f.withClusterIPs(ips);
        }
        if (downgraded && old.clusterIPs().size() > 1) {
            txn.release(ipGrant(old.clusterIPs().get(1), "spec.clusterIPs[1]"));
        }
        return f;
    }

    private String allocateIp(IpFamily family, String want, List<String> asked, Txn txn) {
        ServiceIpRanges range = ranges.get(family);
        if (want == null || want.isEmpty()) {
            try {
                IpAddress ip = range.allocateNext();
                txn.grant(new Grant(Grant.CLUSTER_IP, ip.toString(), family.name(), false, "spec.clusterIPs"));
                return ip.toString();
            } catch (AllocationException e) {
                throw new Rejected(new FieldError("spec.clusterIPs", "InternalError", null,
                        "failed to allocate a serviceIP: " + e.getMessage()));
            }
        }
        IpAddress ip = IpAddress.parse(want);
        try {
            range.allocate(ip);
        } catch (AllocationException e) {
            throw new Rejected(FieldError.invalid("spec.clusterIPs", asked,
                    "failed to allocate IP " + want + ": " + e.getMessage()));
        }
        txn.grant(new Grant(Grant.CLUSTER_IP, ip.toString(), family.name(), true, "spec.clusterIPs"));
        return want;
    }

    private ServiceRequest createNodePorts(ServiceRequest s, Txn txn) {
        List<ServicePort> ports = new ArrayList<>(s.ports());
        if (s.needsNodePorts()) {
            Map<Integer, Integer> byServicePort = new HashMap<>();
            for (int i = 0; i < ports.size(); i++) {
                ServicePort p = ports.get(i);
                if (p.nodePort() == 0 && !s.allocatesNodePorts()) {
                    continue;
                }
                String path = "spec.ports[" + i + "].nodePort";
                Integer shared = byServicePort.get(p.port());
                if (shared == null) {
                    int requested = requestedNodePort(p.port(), ports);
                    int np = requested != 0 ? allocatePort(requested, path, txn) : allocateNextPort(path, txn);
                    ports.set(i, p.withNodePort(np));
                    byServicePort.put(p.port(), np);
                } else if (p.nodePort() != shared) {
                    if (p.nodePort() == 0) {
                        ports.set(i, p.withNodePort(shared));
                    } else {
                        allocatePort(p.nodePort(), path, txn);
                    }
                }
            }
        }
        int hc = s.healthCheckNodePort();
        if (s.needsHealthCheck()) {
            hc = hc != 0 ? allocatePort(hc, "spec.healthCheckNodePort", txn)
                    : allocateNextPort("spec.healthCheckNodePort", txn);
        }
        return s.with(s.fields(), ports, hc);
    }

    private ServiceRequest updateNodePorts(ServiceRequest s, ServiceRequest old, Txn txn) {
        List<ServicePort> ports = patchNodePorts(s, old);
        Set<Integer> oldNumbers = new HashSet<>();
        old.ports().forEach(p -> oldNumbers.add(p.nodePort()));
        if (old.needsNodePorts() && !s.needsNodePorts()) {
            old.ports().stream().filter(p -> p.nodePort() != 0)
                    .forEach(p -> txn.release(portGrant(p.nodePort(), "spec.ports")));
            ports = ports.stream().map(p -> p.withNodePort(0)).toList();
        }
        if (s.needsNodePorts()) {
            ports = new ArrayList<>(ports);
            Set<Integer> taken = new HashSet<>();
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < ports.size(); i++) {
                ServicePort p = ports.get(i);
                if (p.nodePort() == 0 && !s.allocatesNodePorts()) {
                    continue;
                }
                String path = "spec.ports[" + i + "].nodePort";
                if (p.nodePort() != 0) {
                    if (!oldNumbers.contains(p.nodePort()) && taken.add(p.nodePort())) {
                        allocatePort(p.nodePort(), path, txn);
                    }
                } else {
                    p = p.withNodePort(allocateNextPort(path, txn));
                    ports.set(i, p);
                }
                if (!seen.add(p.protocol() + "/" + p.nodePort())) {
                    throw new Rejected(FieldError.duplicate(path, p.nodePort()));
                }
            }
            Set<Integer> newNumbers = new HashSet<>();
            ports.forEach(p -> newNumbers.add(p.nodePort()));
            old.ports().stream().filter(p -> p.nodePort() != 0 && !newNumbers.contains(p.nodePort()))
                    .map(ServicePort::nodePort).distinct()
                    .forEach(np -> txn.release(portGrant(np, "spec.ports")));
        }
        int hc = s.healthCheckNodePort();
        if (!old.needsHealthCheck() && s.needsHealthCheck()) {
            hc = hc != 0 ? allocatePort(hc, "spec.healthCheckNodePort", txn)
                    : allocateNextPort("spec.healthCheckNodePort", txn);
        } else if (old.needsHealthCheck() && !s.needsHealthCheck()) {
            if (old.healthCheckNodePort() != 0) {
                txn.release(portGrant(old.healthCheckNodePort(), "spec.healthCheckNodePort"));
            }
            hc = 0;
        } else if (old.needsHealthCheck() && hc == 0) {
            hc = old.healthCheckNodePort();
        }
        return s.with(s.fields(), ports, hc);
    }

    /** Upstream {@code patchAllocatedValues}: an update that omits a node port keeps the one its name had. */
    private static List<ServicePort> patchNodePorts(ServiceRequest s, ServiceRequest old) {
        if (!old.needsNodePorts() || !s.needsNodePorts()) {
            return s.ports();
        }
        Set<Integer> oldUsed = new HashSet<>();
        old.ports().forEach(p -> oldUsed.add(p.nodePort()));
        Set<Integer> used = new HashSet<>();
        s.ports().stream().map(ServicePort::nodePort).filter(oldUsed::contains).forEach(used::add);
        Map<String, Integer> byName = new HashMap<>();
        old.ports().forEach(p -> byName.put(p.name(), p.nodePort()));
        return s.ports().stream().map(p -> {
            Integer n = byName.get(p.name());
            return p.nodePort() == 0 && n != null && !used.contains(n) ? p.withNodePort(n) : p;
        }).toList();
    }

    private static int requestedNodePort(int servicePort, List<ServicePort> ports) {
        return ports.stream().filter(p -> p.port() == servicePort && p.nodePort() != 0)
                .mapToInt(ServicePort::nodePort).findFirst().orElse(0);
    }

    private int allocatePort(int port, String path, Txn txn) {
        try {
            nodePorts.allocate(port);
        } catch (AllocationException e) {
            throw new Rejected(FieldError.invalid(path, port, e.getMessage()));
        }
        txn.grant(new Grant(Grant.NODE_PORT, Integer.toString(port), null, true, path));
        return port;
    }

    private int allocateNextPort(String path, Txn txn) {
        try {
            int port = nodePorts.allocateNext();
            txn.grant(new Grant(Grant.NODE_PORT, Integer.toString(port), null, false, path));
            return port;
        } catch (AllocationException e) {
            throw new Rejected(new FieldError(path, "InternalError", null,
                    "failed to allocate a nodePort: " + e.getMessage()));
        }
    }

    private static Grant ipGrant(String ip, String path) {
        IpAddress a = IpAddress.parse(ip);
        return new Grant(Grant.CLUSTER_IP, a.toString(), a.family().name(), true, path);
    }

    private static Grant portGrant(int port, String path) {
        return new Grant(Grant.NODE_PORT, Integer.toString(port), null, true, path);
    }

    /** What one plan reserved, so a failure can put it back. */
    private final class Txn {
        final List<Grant> grants = new ArrayList<>();
        final List<Grant> releases = new ArrayList<>();

        void grant(Grant g) {
            grants.add(g);
        }

        void release(Grant g) {
            releases.add(g);
        }

        void rollback() {
            release(grants);
        }

        private void release(List<Grant> gs) {
            ServiceAllocator.this.release(gs);
        }
    }

    private static final class Rejected extends RuntimeException {
        final FieldError error;

        Rejected(FieldError error) {
            super(error.toString(), null, false, false);
            this.error = error;
        }
    }
}
