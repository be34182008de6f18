package io.netplane.dns.records;

import static io.netplane.dns.records.Views.clusterIp;
import static io.netplane.dns.records.Views.endpoint;
import static io.netplane.dns.records.Views.epPort;
import static io.netplane.dns.records.Views.externalName;
import static io.netplane.dns.records.Views.headless;
import static io.netplane.dns.records.Views.pod;
import static io.netplane.dns.records.Views.port;
import static io.netplane.dns.records.Views.slice;

import io.netplane.api.events.EndpointSliceView;
import io.netplane.api.events.PodView;
import io.netplane.api.events.ServiceView;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Type;

/**
 * One cluster's content and the table of questions about it with the answers the Kubernetes DNS specification
 * (schema 1.1.0; section numbers in the row names) and RFC 1034/2308 require. Used by the pure test of
 * {@link ZoneAnswerer} and, unchanged, by the test that asks the same questions over real UDP and TCP.
 */
public final class ZoneTable {
    /** Marks rows whose name is not the cluster's: the server forwards them (or REFUSES without upstreams). */
    public static final int OUTSIDE = -1;
    public static final String SOA =
            "cluster.local. 5 SOA ns.dns.cluster.local. hostmaster.cluster.local. 1 7200 1800 86400 5";

    public record Row(String why, PodMode pods, String qname, int qtype, int rcode, List<String> answer,
            List<String> authority, List<String> additional) {
        @Override
        public String toString() {
            return why;
        }
    }

    private ZoneTable() {
    }

    public static ZoneSettings settings(PodMode pods) {
        return new ZoneSettings(Name.fromConstantString("cluster.local."), 5, 5, pods, List.of(), 1);
    }

    public static List<ServiceView> services() {
        return List.of(
                clusterIp("default", "kubernetes", List.of("10.96.0.1"), port("https", "TCP", 443)),
                clusterIp("default", "web", List.of("10.96.0.10"), port("http", "TCP", 80), port("dns", "UDP", 53),
                        port(null, "TCP", 8080)),
                clusterIp("default", "dual", List.of("10.96.0.11", "fd00::11")),
                clusterIp("default", "v6", List.of("fd00::12")),
                headless("default", "db", false, port("pg", "TCP", 5432)),
                headless("default", "empty", false),
                headless("default", "notready", true),
                externalName("default", "ext", "www.example.com"),
                externalName("default", "alias", "web.default.svc.cluster.local"),
                externalName("default", "dangling", "gone.default.svc.cluster.local"),
                Views.service("default", "manual", "ClusterIP", List.of(), true, null, false),
                headless("default", "sub", false),
                clusterIp("other", "web", List.of("10.96.1.10")),
                clusterIp("default", "broken", List.of("10.96.0.300")));
    }

    public static List<EndpointSliceView> slices() {
        return List.of(
                slice("default", "db-abc", "db", "IPv4", List.of(epPort("pg", "TCP", 5432)),
                        endpoint("db-0", true, "10.1.0.5"), endpoint(null, true, "10.1.0.6"),
                        endpoint("db-2", false, "10.1.0.7")),
                slice("default", "db-v6", "db", "IPv6", List.of(epPort("pg", "TCP", 5432)),
                        endpoint("db-0", true, "fd00:1::5")),
                slice("default", "notready-x", "notready", "IPv4", List.of(), endpoint(null, false, "10.1.0.9")),
                // a Service without selector: endpoints made by hand, linked by name
                slice("default", "manual", null, "IPv4", List.of(), endpoint(null, true, "10.1.0.20")));
    }

    public static List<PodView> pods() {
        return List.of(
                pod("default", "p1", "box", "sub", true, "10.1.0.30"),
                pod("default", "p2", null, null, true, "fd00:1::40"));
    }

    public static ZoneRecords zone(PodMode pods) {
        return ZonePlanner.plan(settings(pods), services(), slices(), pods());
    }

    public static List<Row> rows() {
        List<Row> t = new ArrayList<>();
        String svc = ".default.svc.cluster.local.";
        // 2.2 schema version
        t.add(ok("2.2 dns-version TXT", "dns-version.cluster.local.", Type.TXT,
                "dns-version.cluster.local. 5 TXT \"1.1.0\""));
        // 2.3 ClusterIP Services
        t.add(ok("2.3.1 A of a ClusterIP Service", "kubernetes" + svc, Type.A, "kubernetes" + svc + " 5 A 10.96.0.1"));
        t.add(ok("2.1 names match case-insensitively; the answer keeps the asker's spelling",
                "WEB.Default.SVC.cluster.LOCAL.", Type.A, "WEB.Default.SVC.cluster.LOCAL. 5 A 10.96.0.10"));
        t.add(ok("2.3.1 dual-stack Service: A is the IPv4 ClusterIP", "dual" + svc, Type.A, "dual" + svc + " 5 A 10.96.0.11"));
        t.add(ok("2.3.1 dual-stack Service: AAAA is the IPv6 ClusterIP", "dual" + svc, Type.AAAA,
                "dual" + svc + " 5 AAAA fd00::11"));
        t.add(ok("2.3.1 IPv6 single-stack AAAA", "v6" + svc, Type.AAAA, "v6" + svc + " 5 AAAA fd00::12"));
        t.add(noData("IPv6-only Service asked for A: NODATA", "v6" + svc, Type.A));
        t.add(noData("IPv4-only Service asked for AAAA: NODATA", "web" + svc, Type.AAAA));
        t.add(row("2.3.2 SRV of a named TCP port, A of the target in additional", PodMode.DISABLED,
                "_http._tcp.web" + svc, Type.SRV, Rcode.NOERROR,
                List.of("_http._tcp.web" + svc + " 5 SRV 0 100 80 web" + svc), List.of(),
                List.of("web" + svc + " 5 A 10.96.0.10")));
        t.add(row("2.3.2 SRV of a named UDP port", PodMode.DISABLED, "_dns._udp.web" + svc, Type.SRV, Rcode.NOERROR,
                List.of("_dns._udp.web" + svc + " 5 SRV 0 100 53 web" + svc), List.of(),
                List.of("web" + svc + " 5 A 10.96.0.10")));
        t.add(nx("2.3.2 no SRV for a port name under the wrong protocol", "_http._udp.web" + svc, Type.SRV));
        t.add(noData("_tcp.<svc> exists as the parent of SRV names: NODATA", "_tcp.web" + svc, Type.SRV));
        t.add(ok("2.3.3 PTR of a ClusterIP", "10.0.96.10.in-addr.arpa.", Type.PTR,
                "10.0.96.10.in-addr.arpa. 5 PTR web" + svc));
        t.add(ok("2.3.3 PTR of an IPv6 ClusterIP", reverse("fd00::11"), Type.PTR, reverse("fd00::11") + " 5 PTR dual" + svc));
        t.add(ok("2.3.1 same name in another namespace", "web.other.svc.cluster.local.", Type.A,
                "web.other.svc.cluster.local. 5 A 10.96.1.10"));
        t.add(nx("a Service whose ClusterIP does not parse has no records (and breaks nothing else)", "broken" + svc,
                Type.A));
        // 2.4 headless Services
        t.add(ok("2.4.1 headless A: one per ready IPv4 endpoint (not the unready one)", "db" + svc, Type.A,
                "db" + svc + " 5 A 10.1.0.5", "db" + svc + " 5 A 10.1.0.6"));
        t.add(ok("2.4.1 headless AAAA from the IPv6 slice", "db" + svc, Type.AAAA, "db" + svc + " 5 AAAA fd00:1::5"));
        t.add(ok("2.4.1 endpoint hostname A", "db-0.db" + svc, Type.A, "db-0.db" + svc + " 5 A 10.1.0.5"));
        t.add(ok("2.4.1 endpoint hostname AAAA (dual-stack endpoint)", "db-0.db" + svc, Type.AAAA,
                "db-0.db" + svc + " 5 AAAA fd00:1::5"));
        t.add(ok("2.4.1 endpoint without hostname: name derived from its IP", "10-1-0-6.db" + svc, Type.A,
                "10-1-0-6.db" + svc + " 5 A 10.1.0.6"));
        t.add(nx("2.4.1 unready endpoint has no hostname record", "db-2.db" + svc, Type.A));
        t.add(row("2.4.2 headless SRV: one per ready endpoint hostname and named port, targets in additional",
                PodMode.DISABLED, "_pg._tcp.db" + svc, Type.SRV, Rcode.NOERROR,
                List.of("_pg._tcp.db" + svc + " 5 SRV 0 50 5432 db-0.db" + svc,
                        "_pg._tcp.db" + svc + " 5 SRV 0 50 5432 10-1-0-6.db" + svc),
                List.of(), List.of("db-0.db" + svc + " 5 A 10.1.0.5", "db-0.db" + svc + " 5 AAAA fd00:1::5",
                        "10-1-0-6.db" + svc + " 5 A 10.1.0.6")));
        t.add(ok("2.4.3 PTR of a ready endpoint names its hostname", "5.0.1.10.in-addr.arpa.", Type.PTR,
                "5.0.1.10.in-addr.arpa. 5 PTR db-0.db" + svc));
        t.add(ok("2.4.3 PTR of an IPv6 endpoint", reverse("fd00:1::5"), Type.PTR, reverse("fd00:1::5") + " 5 PTR db-0.db" + svc));
        t.add(outside("no PTR for an unready endpoint: not ours, forwarded", "7.0.1.10.in-addr.arpa.", Type.PTR));
        t.add(nx("2.4.1 headless Service without ready endpoints: NXDOMAIN", "empty" + svc, Type.A));
        t.add(ok("publishNotReadyAddresses: unready endpoints are answered", "notready" + svc, Type.A,
                "notready" + svc + " 5 A 10.1.0.9"));
        t.add(ok("headless Service without selector: endpoints of the same name", "manual" + svc, Type.A,
                "manual" + svc + " 5 A 10.1.0.20"));
        t.add(ok("Pod hostname.subdomain under a headless Service of that name", "box.sub" + svc, Type.A,
                "box.sub" + svc + " 5 A 10.1.0.30"));
        // 2.5 ExternalName
        t.add(ok("2.5 ExternalName: CNAME to the external name", "ext" + svc, Type.A,
                "ext" + svc + " 5 CNAME www.example.com."));
        t.add(ok("2.5 ExternalName asked for CNAME", "ext" + svc, Type.CNAME, "ext" + svc + " 5 CNAME www.example.com."));
        t.add(ok("2.5 ExternalName into the zone: CNAME followed", "alias" + svc, Type.A,
                "alias" + svc + " 5 CNAME web" + svc, "web" + svc + " 5 A 10.96.0.10"));
        t.add(row("2.5 ExternalName into the zone, target without the type: CNAME then NODATA", PodMode.DISABLED,
                "alias" + svc, Type.AAAA, Rcode.NOERROR, List.of("alias" + svc + " 5 CNAME web" + svc), List.of(SOA),
                List.of()));
        t.add(row("2.5 ExternalName to a missing name in the zone: the CNAME, then NXDOMAIN for its target (RFC 6604)",
                PodMode.DISABLED, "dangling" + svc, Type.A, Rcode.NXDOMAIN,
                List.of("dangling" + svc + " 5 CNAME gone" + svc), List.of(SOA), List.of()));
        t.add(ok("ANY returns every RRset of the name", "web" + svc, Type.ANY, "web" + svc + " 5 A 10.96.0.10"));
        // existence and negative answers
        t.add(noData("a namespace with Services exists: NODATA", "default.svc.cluster.local.", Type.A));
        t.add(noData("svc.<zone> exists: NODATA", "svc.cluster.local.", Type.A));
        t.add(nx("a namespace without Services: NXDOMAIN", "nope.svc.cluster.local.", Type.A));
        t.add(nx("a Service that does not exist: NXDOMAIN", "nosuch" + svc, Type.A));
        t.add(nx("below a ClusterIP Service nothing exists", "x.web" + svc, Type.A));
        t.add(nx("an unknown name in the zone", "foo.cluster.local.", Type.A));
        t.add(ok("apex SOA", "cluster.local.", Type.SOA, SOA));
        t.add(ok("apex NS", "cluster.local.", Type.NS, "cluster.local. 5 NS ns.dns.cluster.local."));
        t.add(noData("apex A: NODATA", "cluster.local.", Type.A));
        t.add(outside("a name outside the zone", "www.example.com.", Type.A));
        t.add(outside("a reverse name the cluster does not own", "4.3.2.1.in-addr.arpa.", Type.PTR));
        // 2.6 Pod records, per mode
        t.add(nx("2.6 Pod A with pods disabled: NXDOMAIN", "10-1-0-30.default.pod.cluster.local.", Type.A));
        t.add(row("2.6 Pod A, insecure: any address name answers", PodMode.INSECURE, "1-2-3-4.any.pod.cluster.local.",
                Type.A, Rcode.NOERROR, List.of("1-2-3-4.any.pod.cluster.local. 5 A 1.2.3.4"), List.of(), List.of()));
        t.add(row("2.6 Pod A, verified: the Pod exists", PodMode.VERIFIED, "10-1-0-30.default.pod.cluster.local.",
                Type.A, Rcode.NOERROR, List.of("10-1-0-30.default.pod.cluster.local. 5 A 10.1.0.30"), List.of(),
                List.of()));
        t.add(row("2.6 Pod AAAA, verified, IPv6 with dashes", PodMode.VERIFIED, "fd00-1--40.default.pod.cluster.local.",
                Type.AAAA, Rcode.NOERROR, List.of("fd00-1--40.default.pod.cluster.local. 5 AAAA fd00:1::40"),
                List.of(), List.of()));
        t.add(row("2.6 Pod A, verified: no such Pod", PodMode.VERIFIED, "10-1-0-99.default.pod.cluster.local.",
                Type.A, Rcode.NXDOMAIN, List.of(), List.of(SOA), List.of()));
        t.add(row("2.6 Pod A, verified: Pod in another namespace does not count", PodMode.VERIFIED,
                "10-1-0-30.other.pod.cluster.local.", Type.A, Rcode.NXDOMAIN, List.of(), List.of(SOA), List.of()));
        t.add(row("2.6 Pod name asked for the other family: NODATA", PodMode.VERIFIED,
                "10-1-0-30.default.pod.cluster.local.", Type.AAAA, Rcode.NOERROR, List.of(), List.of(SOA), List.of()));
        t.add(row("2.6 <ns>.pod.<zone> exists when the namespace has Pods", PodMode.VERIFIED,
                "default.pod.cluster.local.", Type.A, Rcode.NOERROR, List.of(), List.of(SOA), List.of()));
        for (PodMode mode : PodMode.values()) {
            t.add(row("pod.<zone> exists like svc.<zone>, pods " + mode + ": NODATA", mode, "pod.cluster.local.",
                    Type.A, Rcode.NOERROR, List.of(), List.of(SOA), List.of()));
        }
        t.add(nx("2.6 <ns>.pod.<zone> with pods disabled: NXDOMAIN", "default.pod.cluster.local.", Type.A));
        t.add(row("2.6 a label that spells no address: NXDOMAIN", PodMode.INSECURE, "not-an-ip.any.pod.cluster.local.",
                Type.A, Rcode.NXDOMAIN, List.of(), List.of(SOA), List.of()));
        return t;
    }

    static String reverse(String ip) {
        try {
            return ReverseMap.fromAddress(InetAddress.getByName(ip)).toString();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Row ok(String why, String qname, int qtype, String... answer) {
        return row(why, PodMode.DISABLED, qname, qtype, Rcode.NOERROR, List.of(answer), List.of(), List.of());
    }

    private static Row noData(String why, String qname, int qtype) {
        return row(why, PodMode.DISABLED, qname, qtype, Rcode.NOERROR, List.of(), List.of(SOA), List.of());
    }

    private static Row nx(String why, String qname, int qtype) {
        return row(why, PodMode.DISABLED, qname, qtype, Rcode.NXDOMAIN, List.of(), List.of(SOA), List.of());
    }

    private static Row outside(String why, String qname, int qtype) {
        return row(why, PodMode.DISABLED, qname, qtype, OUTSIDE, List.of(), List.of(), List.of());
    }

    private static Row row(String why, PodMode pods, String qname, int qtype, int rcode, List<String> answer,
            List<String> authority, List<String> additional) {
        return new Row(why, pods, qname, qtype, rcode, answer, authority, additional);
    }
}
