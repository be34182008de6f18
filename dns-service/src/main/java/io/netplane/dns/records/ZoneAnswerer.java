package io.netplane.dns.records;

import io.netplane.api.net.IpAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Type;

/**
 * Answers one question from a {@link ZoneRecords} snapshot the way an authoritative server does (RFC 1034 4.3.2,
 * RFC 2308): records of the asked type; CNAMEs followed while their targets stay in the zone; NODATA (NOERROR, no
 * answer, SOA in authority) for names that exist, including empty non-terminals; NXDOMAIN with the SOA only for
 * names that do not exist. Reverse names are answered only where a ClusterIP or endpoint owns a PTR; any other
 * name outside the zone is {@link Answer#outside()}. Pod address names are synthesised per {@link PodMode}.
 */
public final class ZoneAnswerer {
    private static final int MAX_CNAME_CHAIN = 8;
    private static final Name IN_ADDR_ARPA = Name.fromConstantString("in-addr.arpa.");
    private static final Name IP6_ARPA = Name.fromConstantString("ip6.arpa.");

    private ZoneAnswerer() {
    }

    public static Answer answer(ZoneRecords zone, Name qname, int qtype) {
        Name origin = zone.settings().origin();
        if (!qname.subdomain(origin)) {
            return reverse(zone, qname, qtype);
        }
        List<Record> answer = new ArrayList<>();
        Name current = qname;
        for (int hop = 0; hop < MAX_CNAME_CHAIN; hop++) {
            Map<Integer, List<Record>> rrsets = rrsetsAt(zone, current);
            List<Record> wanted = select(rrsets, qtype);
            if (!wanted.isEmpty()) {
                addOwnedBy(answer, wanted, hop == 0 ? qname : current);
                return positive(zone, answer);
            }
            List<Record> cname = rrsets.getOrDefault(Type.CNAME, List.of());
            if (!cname.isEmpty() && qtype != Type.CNAME) {
                addOwnedBy(answer, cname, hop == 0 ? qname : current);
                Name target = ((CNAMERecord) cname.get(0)).getTarget();
                if (!target.subdomain(origin)) {
                    return new Answer(true, Rcode.NOERROR, answer, List.of(), List.of(), target);
                }
                current = target;
                continue;
            }
            boolean exists = !rrsets.isEmpty() || zone.exists(current) || isPodNamespace(zone, current);
            return negative(zone, answer, exists ? Rcode.NOERROR : Rcode.NXDOMAIN);
        }
        return new Answer(true, Rcode.SERVFAIL, answer, List.of(), List.of(), null); // CNAME loop inside the zone
    }

    private static Answer reverse(ZoneRecords zone, Name qname, int qtype) {
        if (qname.subdomain(IN_ADDR_ARPA) || qname.subdomain(IP6_ARPA)) {
            List<Record> ptr = select(zone.at(qname), qtype);
            if (!ptr.isEmpty()) {
                List<Record> answer = new ArrayList<>();
                addOwnedBy(answer, ptr, qname);
                return new Answer(true, Rcode.NOERROR, answer, List.of(), List.of(), null);
            }
        }
        return Answer.outside();
    }

    private static List<Record> select(Map<Integer, List<Record>> rrsets, int qtype) {
        if (qtype == Type.ANY) {
            List<Record> all = new ArrayList<>();
            rrsets.values().forEach(all::addAll);
            return all;
        }
        return rrsets.getOrDefault(qtype, List.of());
    }

    /** Answers carry the owner name as the client spelled it (0x20 case randomisation survives). */
    private static void addOwnedBy(List<Record> out, List<Record> records, Name owner) {
        for (Record r : records) {
            out.add(r.getName().equals(owner) ? r.withName(owner) : r);
        }
    }

    private static Answer positive(ZoneRecords zone, List<Record> answer) {
        List<Record> additional = new ArrayList<>();
        for (Record r : answer) {
            Name target = r instanceof SRVRecord srv ? srv.getTarget() : r instanceof NSRecord ns ? ns.getTarget() : null;
            if (target != null) {
                for (int type : new int[] {Type.A, Type.AAAA}) {
                    for (Record a : zone.at(target).getOrDefault(type, List.of())) {
                        if (!additional.contains(a)) {
                            additional.add(a);
                        }
                    }
                }
            }
        }
        return new Answer(true, Rcode.NOERROR, answer, List.of(), additional, null);
    }

    private static Answer negative(ZoneRecords zone, List<Record> answer, int rcode) {
        return new Answer(true, rcode, answer, List.of(ZonePlanner.soa(zone.settings())), List.of(), null);
    }

    /** The zone's own RRsets, plus the synthesised A/AAAA of a Pod address name. */
    private static Map<Integer, List<Record>> rrsetsAt(ZoneRecords zone, Name name) {
        Map<Integer, List<Record>> stored = zone.at(name);
        if (!stored.isEmpty() || zone.settings().pods() == PodMode.DISABLED) {
            return stored;
        }
        Name origin = zone.settings().origin();
        int depth = name.labels() - origin.labels();
        if (depth != 3 || !name.getLabelString(2).equalsIgnoreCase("pod")) {
            return stored;
        }
        IpAddress ip = podAddress(name.getLabelString(0));
        String namespace = name.getLabelString(1).toLowerCase(Locale.ROOT);
        if (ip == null || (zone.settings().pods() == PodMode.VERIFIED && !zone.hasPod(namespace, ip))) {
            return stored;
        }
        try {
            Record r = ZonePlanner.address(name, zone.settings().ttl(), InetAddress.getByAddress(ip.toBytes()));
            return Map.of(r.getType(), List.of(r));
        } catch (UnknownHostException e) {
            return stored;
        }
    }

    /** {@code <ns>.pod.<zone>}: exists in insecure mode, and in verified mode when the namespace has Pods. */
    private static boolean isPodNamespace(ZoneRecords zone, Name name) {
        PodMode mode = zone.settings().pods();
        int depth = name.labels() - zone.settings().origin().labels();
        if (mode == PodMode.DISABLED || depth != 2 || !name.getLabelString(1).equalsIgnoreCase("pod")) {
            return false;
        }
        return mode == PodMode.INSECURE || zone.hasPodNamespace(name.getLabelString(0).toLowerCase(Locale.ROOT));
    }

    /** Parses {@code 10-0-0-1} or {@code fd00--1} back into an address; null when the label spells none. */
    static IpAddress podAddress(String label) {
        String v4 = label.replace('-', '.');
        if (IpAddress.isValid(v4) && v4.indexOf(':') < 0) {
            return IpAddress.parse(v4);
        }
        String v6 = label.replace('-', ':');
        return IpAddress.isValid(v6) && v6.indexOf(':') >= 0 ? IpAddress.parse(v6) : null;
    }
}
