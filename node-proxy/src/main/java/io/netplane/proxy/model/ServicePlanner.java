package io.netplane.proxy.model;

import io.netplane.api.events.EndpointSliceView;
import io.netplane.api.events.ServiceView;
import io.netplane.api.names.KubernetesNames;
import io.netplane.api.net.Cidr;
import io.netplane.api.net.IpAddress;
import io.netplane.api.net.IpFamily;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Cuts a Service and its EndpointSlices down to {@link PlannedPort}s for one IP family, the way kube-proxy's
 * service and endpoint-slice change trackers do: headless and ExternalName Services and Services labelled
 * for another proxy are ignored; addresses of the other family are left out; slice ports match service ports
 * by name and protocol; only an endpoint's first address is used. Invalid values are reported as problems:
 * an invalid ClusterIP, name or protocol drops the Service (or port), an invalid endpoint or external address
 * drops only that address.
 */
public final class ServicePlanner {
    /** kube-proxy's default {@code sessionAffinityConfig.clientIP.timeoutSeconds}: three hours. */
    public static final int DEFAULT_AFFINITY_TIMEOUT = 10800;

    private ServicePlanner() {
    }

    /**
     * @param proxyName this proxy's {@code service.kubernetes.io/service-proxy-name}, or null for the default proxy
     */
    public static ServicePlan plan(ServiceView svc, Collection<EndpointSliceView> slices, IpFamily family,
            String nodeName, String proxyName) {
        String key = svc.namespace() + "/" + svc.name();
        if (!Objects.equals(svc.serviceProxyName(), proxyName) || "ExternalName".equals(svc.type())
                || svc.headless() || svc.clusterIPs().isEmpty() || "None".equals(svc.clusterIPs().get(0))) {
            return ServicePlan.empty(key);
        }
        // kube-proxy's informer selector: slices labelled headless, or for another proxy, are not programmed
        slices = slices.stream().filter(s -> !s.headless()
                && (s.serviceProxyName() == null || s.serviceProxyName().equals(proxyName))).toList();
        List<String> problems = new ArrayList<>();
        if (!KubernetesNames.isDns1123Label(svc.namespace()) || !KubernetesNames.isDns1123Label(svc.name())) {
            problems.add("namespace and name must be DNS-1123 labels");
            return new ServicePlan(key, List.of(), problems);
        }
        String clusterIP = null;
        for (String ip : svc.clusterIPs()) {
            IpAddress parsed = parse(ip, "clusterIPs", problems);
            if (parsed == null) {
                return new ServicePlan(key, List.of(), problems);
            }
            if (parsed.family() == family && clusterIP == null) {
                clusterIP = canonical(ip, parsed);
            }
        }
        if (clusterIP == null) {
            return new ServicePlan(key, List.of(), problems);
        }
        List<String> externalIPs = addresses(svc.externalIPs(), family, "externalIPs", problems);
        List<String> lbIPs = addresses(svc.loadBalancerIngressIPs(), family, "status.loadBalancer.ingress", problems);
        List<String> ranges = new ArrayList<>();
        for (String r : svc.loadBalancerSourceRanges()) {
            try {
                Cidr c = Cidr.parse(r.trim());
                if (c.family() == family) {
                    ranges.add(c.toString());
                }
            } catch (IllegalArgumentException e) {
                problems.add("loadBalancerSourceRanges: " + e.getMessage());
            }
        }
        boolean firewalled = !svc.loadBalancerSourceRanges().isEmpty();
        int affinity = 0;
        if ("ClientIP".equals(svc.sessionAffinity())) {
            Integer t = svc.sessionAffinityTimeoutSeconds();
            affinity = t == null || t <= 0 ? DEFAULT_AFFINITY_TIMEOUT : t;
        }
        boolean itpLocal = "Local".equals(svc.internalTrafficPolicy());
        List<PlannedPort> ports = new ArrayList<>();
        for (ServiceView.ServicePortView p : svc.ports()) {
            String portName = p.name() == null ? "" : p.name();
            String protocol = protocol(p.protocol());
            if (protocol == null) {
                problems.add("port " + portName + ": unsupported protocol " + p.protocol());
                continue;
            }
            // a Service port name is a DNS-1123 label (up to 63 characters), not a container port's IANA_SVC_NAME
            if (!portName.isEmpty() && !KubernetesNames.isDns1123Label(portName)) {
                problems.add("port name " + portName + " is not a valid port name (a DNS-1123 label)");
                continue;
            }
            if (p.port() < 1 || p.port() > 65535) {
                problems.add("port " + portName + ": port " + p.port() + " out of range");
                continue;
            }
            int nodePort = p.nodePort() == null ? 0 : p.nodePort();
            if (nodePort < 0 || nodePort > 65535) {
                problems.add("port " + portName + ": nodePort " + nodePort + " out of range");
                nodePort = 0;
            }
            boolean external = nodePort != 0 || !externalIPs.isEmpty() || !lbIPs.isEmpty();
            boolean etpLocal = external && "Local".equals(svc.externalTrafficPolicy());
            int hcPort = etpLocal && svc.healthCheckNodePort() != null ? svc.healthCheckNodePort() : 0;
            ServicePort sp = new ServicePort(svc.namespace(), svc.name(), portName, protocol, family, clusterIP,
                    p.port(), nodePort, externalIPs, lbIPs, ranges, firewalled && !lbIPs.isEmpty(), affinity,
                    itpLocal, etpLocal, hcPort);
            ports.add(new PlannedPort(sp, endpoints(svc, sp, slices, family, nodeName, problems)));
        }
        return new ServicePlan(key, ports, problems);
    }

    private static List<Endpoint> endpoints(ServiceView svc, ServicePort port, Collection<EndpointSliceView> slices,
            IpFamily family, String nodeName, List<String> problems) {
        Map<String, Endpoint> byId = new LinkedHashMap<>();
        for (EndpointSliceView slice : slices) {
            if (!svc.namespace().equals(slice.namespace()) || !svc.name().equals(slice.serviceName())
                    || !family.name().equals(slice.addressType())) {
                continue;
            }
            for (EndpointSliceView.EndpointPortView sp : slice.ports()) {
                String name = sp.name() == null ? "" : sp.name();
                if (!name.equals(port.portName()) || !port.protocol().equals(protocol(sp.protocol()))
                        || sp.port() == null) {
                    continue;
                }
                if (sp.port() < 1 || sp.port() > 65535) {
                    problems.add("slice " + slice.name() + ": port " + sp.port() + " out of range");
                    continue;
                }
                for (EndpointSliceView.EndpointView ev : slice.endpoints()) {
                    if (ev.addresses().isEmpty()) {
                        continue;
                    }
                    IpAddress ip = parse(ev.addresses().get(0), "slice " + slice.name() + " address", problems);
                    if (ip == null || ip.family() != family) {
                        continue;
                    }
                    Endpoint e = new Endpoint(canonical(ev.addresses().get(0), ip), sp.port(), ev.ready(),
                            ev.serving(), ev.terminating(), nodeName.equals(ev.nodeName()),
                            Set.copyOf(ev.zoneHints()), Set.copyOf(ev.nodeHints()));
                    byId.putIfAbsent(e.id(), e);
                }
            }
        }
        List<Endpoint> out = new ArrayList<>(byId.values());
        out.sort(Comparator.comparing((Endpoint e) -> IpAddress.parse(e.ip())).thenComparingInt(Endpoint::port));
        return out;
    }

    private static List<String> addresses(List<String> in, IpFamily family, String field, List<String> problems) {
        List<String> out = new ArrayList<>();
        for (String s : in) {
            IpAddress ip = parse(s, field, problems);
            if (ip != null && ip.family() == family && !out.contains(ip.toString())) {
                out.add(canonical(s, ip));
            }
        }
        return out;
    }

    /**
     * {@code ip}'s canonical text: {@code text} itself when it already is, so that the plan shares the string the
     * view holds instead of keeping a copy of every address.
     */
    private static String canonical(String text, IpAddress ip) {
        String canonical = ip.toString();
        return canonical.equals(text) ? text : canonical;
    }

    private static IpAddress parse(String text, String field, List<String> problems) {
        try {
            return IpAddress.parse(text);
        } catch (IllegalArgumentException e) {
            problems.add(field + ": " + e.getMessage() + " (\"" + text + "\")");
            return null;
        }
    }

    /** tcp, udp or sctp; the API default TCP when unset; null for anything else. */
    static String protocol(String apiProtocol) {
        String p = apiProtocol == null ? "tcp" : apiProtocol.toLowerCase(Locale.ROOT);
        // the constants, not p: every port of every Service would otherwise keep a string of its own
        return switch (p) {
            case "tcp" -> "tcp";
            case "udp" -> "udp";
            case "sctp" -> "sctp";
            default -> null;
        };
    }
}
