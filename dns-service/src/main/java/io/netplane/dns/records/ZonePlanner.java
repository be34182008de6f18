package io.netplane.dns.records;

import io.netplane.api.events.EndpointSliceView;
import io.netplane.api.events.EndpointSliceView.EndpointPortView;
import io.netplane.api.events.EndpointSliceView.EndpointView;
import io.netplane.api.events.PodView;
import io.netplane.api.events.ServiceView;
import io.netplane.api.events.ServiceView.ServicePortView;
import io.netplane.api.names.KubernetesNames;
import io.netplane.api.net.IpAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;

/**
 * Builds the records of the Kubernetes DNS-Based Service Discovery specification (schema 1.1.0) from the
 * Service, EndpointSlice and Pod views: the schema version TXT, ClusterIP A/AAAA, SRV and PTR; headless
 * A/AAAA per ready endpoint, per-endpoint hostname records, SRV per endpoint and named port, PTR per endpoint;
 * ExternalName CNAME; Pod hostname/subdomain records; and the zone apex (SOA, NS). An object that cannot
 * become records (a name that is not a DNS label, an address that does not parse) is skipped and reported in
 * {@link ZoneRecords#rejected()}; it never affects other objects.
 */
public final class ZonePlanner {
    private static final int SRV_PRIORITY = 0;

    private ZonePlanner() {
    }

    public static ZoneRecords plan(ZoneSettings settings, Collection<ServiceView> services,
            Collection<EndpointSliceView> slices, Collection<PodView> pods) {
        ZoneRecords.Builder zone = ZoneRecords.builder(settings);
        apex(settings).addTo(zone);
        markApexNames(settings, zone);
        Map<String, List<EndpointSliceView>> slicesByService = slicesByService(slices);
        Map<String, ServiceView> headless = new HashMap<>();
        for (ServiceView svc : services) {
            Contribution c = service(settings, svc, slicesByService.getOrDefault(svc.key(), List.of()));
            c.addTo(zone);
            if (c.rejected() == null && isHeadless(svc)) {
                headless.put(svc.key(), svc);
            }
        }
        for (PodView pod : pods) {
            pod(settings, pod, headless.get(subdomainKey(pod))).addTo(zone);
        }
        return zone.build();
    }

    /** A Service's records, from the Service and the EndpointSlices that name it. */
    public static Contribution service(ZoneSettings settings, ServiceView svc, Collection<EndpointSliceView> slices) {
        Contribution c = new Contribution();
        try {
            addService(settings, c, svc, slices);
        } catch (RuntimeException | TextParseException e) {
            c.reject(svc.key(), reason(e));
        }
        return c;
    }

    /**
     * A Pod's addresses (pod mode) and hostname records.
     *
     * @param headless the headless Service its subdomain names ({@link #subdomainKey}), or null
     */
    public static Contribution pod(ZoneSettings settings, PodView pod, ServiceView headless) {
        Contribution c = new Contribution();
        try {
            addPod(settings, c, pod, headless);
        } catch (RuntimeException | TextParseException e) {
            c.reject(pod.key(), reason(e));
        }
        return c;
    }

    /** A view the contract allows but no record can come from (a missing field) is that object's fault alone. */
    private static String reason(Exception e) {
        return e instanceof IllegalArgumentException || e instanceof TextParseException ? e.getMessage()
                : e.toString();
    }

    /** {@code namespace/subdomain} of a Pod with a hostname and a subdomain (the Service key it joins), or null. */
    public static String subdomainKey(PodView pod) {
        return isBlank(pod.hostname()) || isBlank(pod.subdomain()) ? null : pod.namespace() + "/" + pod.subdomain();
    }

    /** The key of the Service an EndpointSlice belongs to. */
    public static String serviceKey(EndpointSliceView slice) {
        // Slices name their Service with the kubernetes.io/service-name label; a slice without it is taken
        // to belong to the Service of its own name (hand-made endpoints of a Service without selector).
        String service = slice.serviceName() != null && !slice.serviceName().isEmpty() ? slice.serviceName()
                : slice.name();
        return slice.namespace() + "/" + service;
    }

    /** The name {@code <service>.<namespace>.svc.<zone>}. */
    public static Name serviceName(ZoneSettings settings, String namespace, String service) throws TextParseException {
        return Name.fromString(label(service) + "." + label(namespace) + ".svc", settings.origin());
    }

    public static boolean isHeadless(ServiceView svc) {
        return !"ExternalName".equals(svc.type()) && (svc.headless() || svc.clusterIPs().isEmpty());
    }

    /** The apex records: SOA (with the settings' serial), NS, the name server's addresses, the schema TXT. */
    public static Contribution apex(ZoneSettings s) {
        Contribution c = new Contribution();
        Name origin = s.origin();
        Name ns = nameserver(origin);
        c.add(soa(s));
        c.add(new NSRecord(origin, DClass.IN, s.ttl(), ns));
        for (InetAddress a : s.nameserverAddresses()) {
            c.add(address(ns, s.ttl(), a));
        }
        c.add(new TXTRecord(concat(Name.fromConstantString("dns-version"), origin), DClass.IN, s.ttl(),
                ZoneSettings.SCHEMA_VERSION));
        return c;
    }

    /** svc.<zone> and pod.<zone> exist whatever is below them (CoreDNS answers both NODATA, pod mode or not). */
    public static List<Name> apexNames(ZoneSettings s) {
        return List.of(concat(Name.fromConstantString("svc"), s.origin()),
                concat(Name.fromConstantString("pod"), s.origin()));
    }

    private static void markApexNames(ZoneSettings s, ZoneRecords.Builder zone) {
        apexNames(s).forEach(zone::markExists);
    }

    /** The zone's SOA; its minimum (and own TTL) is the negative TTL, as RFC 2308 asks. */
    public static SOARecord soa(ZoneSettings s) {
        Name origin = s.origin();
        return new SOARecord(origin, DClass.IN, s.negativeTtl(), nameserver(origin),
                concat(Name.fromConstantString("hostmaster"), origin), s.serial(), 7200, 1800, 86400,
                s.negativeTtl());
    }

    static Name nameserver(Name origin) {
        return concat(Name.fromConstantString("ns.dns"), origin);
    }

    private static Map<String, List<EndpointSliceView>> slicesByService(Collection<EndpointSliceView> slices) {
        Map<String, List<EndpointSliceView>> by = new HashMap<>();
        for (EndpointSliceView slice : slices) {
            by.computeIfAbsent(serviceKey(slice), k -> new ArrayList<>()).add(slice);
        }
        return by;
    }

    private static void addService(ZoneSettings s, Contribution zone, ServiceView svc,
            Collection<EndpointSliceView> slices) throws TextParseException {
        Name base = serviceName(s, svc.namespace(), svc.name());
        if ("ExternalName".equals(svc.type())) {
            if (svc.externalName() == null || svc.externalName().isBlank()) {
                throw new IllegalArgumentException("ExternalName Service without externalName");
            }
            zone.add(new CNAMERecord(base, DClass.IN, s.ttl(), absolute(svc.externalName())));
        } else if (isHeadless(svc)) {
            addHeadless(s, zone, svc, base, slices);
        } else {
            addClusterIp(s, zone, svc, base);
        }
    }

    private static void addClusterIp(ZoneSettings s, Contribution zone, ServiceView svc, Name base)
            throws TextParseException {
        List<InetAddress> ips = new ArrayList<>();
        for (String ip : svc.clusterIPs()) {
            ips.add(inet(ip));
        }
        for (InetAddress ip : ips) {
            zone.add(address(base, s.ttl(), ip));
            zone.add(new PTRRecord(ReverseMap.fromAddress(ip), DClass.IN, s.ttl(), base));
        }
        for (ServicePortView port : svc.ports()) {
            if (port.name() != null && !port.name().isEmpty()) {
                zone.add(new SRVRecord(srvName(port.name(), port.protocol(), base), DClass.IN, s.ttl(), SRV_PRIORITY,
                        100, port.port(), base));
            }
        }
    }

    private static void addHeadless(ZoneSettings s, Contribution zone, ServiceView svc, Name base,
            Collection<EndpointSliceView> slices) throws TextParseException {
        List<Record> records = new ArrayList<>();
        Map<Name, Set<SrvTarget>> srv = new LinkedHashMap<>();
        for (EndpointSliceView slice : slices) {
            if (!"IPv4".equals(slice.addressType()) && !"IPv6".equals(slice.addressType())) {
                continue; // FQDN slices have no address records
            }
            for (EndpointView ep : slice.endpoints()) {
                if (ep.addresses().isEmpty() || !(ep.ready() || svc.publishNotReadyAddresses())) {
                    continue;
                }
                Name host = concat(Name.fromString(endpointHostname(ep)), base);
                for (String addr : ep.addresses()) {
                    InetAddress ip = inet(addr);
                    records.add(address(base, s.ttl(), ip));
                    records.add(address(host, s.ttl(), ip));
                    records.add(new PTRRecord(ReverseMap.fromAddress(ip), DClass.IN, s.ttl(), host));
                }
                for (EndpointPortView port : slice.ports()) {
                    if (port.name() != null && !port.name().isEmpty() && port.port() != null) {
                        srv.computeIfAbsent(srvName(port.name(), port.protocol(), base), k -> new LinkedHashSet<>())
                                .add(new SrvTarget(port.port(), host));
                    }
                }
            }
        }
        // One SRV per (port, endpoint hostname); the weights share 100 so clients spread evenly (RFC 2782).
        srv.forEach((owner, targets) -> targets.forEach(t -> records.add(new SRVRecord(owner, DClass.IN, s.ttl(),
                SRV_PRIORITY, Math.max(1, 100 / targets.size()), t.port(), t.host()))));
        zone.addAll(records); // all or nothing: a bad address in one endpoint rejects the Service
    }

    private record SrvTarget(int port, Name host) {
    }

    /** The endpoint's hostname field, or a name derived from its first address ({@code 10-0-0-1}, {@code fd00--1}). */
    static String endpointHostname(EndpointView ep) {
        if (ep.hostname() != null && KubernetesNames.isDns1123Label(ep.hostname())) {
            return ep.hostname().toLowerCase(Locale.ROOT);
        }
        return addressLabel(IpAddress.parse(ep.addresses().get(0)));
    }

    /** An address written as one DNS label: dots or colons become dashes. */
    public static String addressLabel(IpAddress ip) {
        return ip.toString().replace('.', '-').replace(':', '-');
    }

    private static void addPod(ZoneSettings s, Contribution zone, PodView pod, ServiceView svc)
            throws TextParseException {
        List<IpAddress> ips = new ArrayList<>();
        for (String ip : pod.podIPs()) {
            ips.add(IpAddress.parse(ip));
        }
        if (!pod.terminating()) {
            zone.podAddresses(pod.namespace().toLowerCase(Locale.ROOT), ips);
        }
        // "If there exists a headless Service in the same namespace as the Pod, with the same name as the
        // subdomain, the cluster's DNS Server also returns A and/or AAAA records for the Pod's fully qualified
        // hostname" (DNS for Services and Pods). Ready Pods only, unless the Service publishes not-ready addresses.
        if (subdomainKey(pod) == null || svc == null || !(pod.ready() || svc.publishNotReadyAddresses())
                || pod.terminating()) {
            return;
        }
        Name host = concat(Name.fromString(label(pod.hostname())),
                serviceName(s, pod.namespace(), pod.subdomain()));
        for (IpAddress ip : ips) {
            zone.add(address(host, s.ttl(), inet(ip.toString())));
        }
    }

    private static Name srvName(String port, String protocol, Name base) throws TextParseException {
        String proto = protocol == null || protocol.isEmpty() ? "tcp" : protocol.toLowerCase(Locale.ROOT);
        return concat(Name.fromString("_" + port.toLowerCase(Locale.ROOT) + "._" + proto), base);
    }

    static Record address(Name name, long ttl, InetAddress ip) {
        return ip.getAddress().length == 4 ? new ARecord(name, DClass.IN, ttl, ip)
                : new AAAARecord(name, DClass.IN, ttl, ip);
    }

    static InetAddress inet(String text) {
        IpAddress ip = IpAddress.parse(text);
        try {
            return InetAddress.getByAddress(ip.toBytes());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad address " + text, e);
        }
    }

    private static Name absolute(String name) throws TextParseException {
        return Name.fromString(name.endsWith(".") ? name : name + ".");
    }

    private static String label(String text) {
        if (text == null || !KubernetesNames.isDns1123Label(text)) {
            throw new IllegalArgumentException("'" + text + "' is not a DNS label");
        }
        return text.toLowerCase(Locale.ROOT);
    }

    /** Joins names; too long a result (over 255 octets) is the object's fault and rejects it. */
    static Name concat(Name prefix, Name suffix) {
        try {
            return Name.concatenate(prefix, suffix);
        } catch (org.xbill.DNS.NameTooLongException e) {
            throw new IllegalArgumentException("name too long: " + prefix + suffix);
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
