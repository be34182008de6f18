package io.netplane.dns.records;

import java.net.InetAddress;
import java.util.List;
import org.xbill.DNS.Name;

/**
 * The fixed parameters of the cluster zone.
 *
 * @param origin the cluster domain, absolute ({@code cluster.local.})
 * @param ttl TTL of positive answers, seconds
 * @param negativeTtl the SOA minimum (and the SOA's own TTL in negative answers), seconds
 * @param nameserverAddresses addresses of {@code ns.dns.<zone>}, the name server the NS record names
 * @param serial the SOA serial; the shell bumps it when the zone content changes
 */
public record ZoneSettings(Name origin, long ttl, long negativeTtl, PodMode pods, List<InetAddress> nameserverAddresses,
        long serial) {

    /** The version of the Kubernetes DNS schema served, answered as {@code dns-version.<zone>. TXT}. */
    public static final String SCHEMA_VERSION = "1.1.0";

    public ZoneSettings {
        if (!origin.isAbsolute()) {
            throw new IllegalArgumentException("zone origin must be absolute: " + origin);
        }
        nameserverAddresses = List.copyOf(nameserverAddresses);
    }

    public ZoneSettings withSerial(long newSerial) {
        return new ZoneSettings(origin, ttl, negativeTtl, pods, nameserverAddresses, newSerial);
    }
}
