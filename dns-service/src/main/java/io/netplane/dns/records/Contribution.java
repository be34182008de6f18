package io.netplane.dns.records;

import io.netplane.api.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Record;

/**
 * What one object puts in the zone: its records, the Pod addresses it verifies (pod mode), and why it was
 * rejected, if it was. A rejected object keeps what it added before the fault, as the planner always did.
 */
public final class Contribution {
    static final Contribution NONE = new Contribution();

    private final List<Record> records = new ArrayList<>(4);
    private String podNamespace;
    private List<IpAddress> podAddresses = List.of();
    private String rejected;

    void add(Record r) {
        records.add(r);
    }

    void addAll(List<Record> rs) {
        records.addAll(rs);
    }

    void podAddresses(String namespace, List<IpAddress> addresses) {
        this.podNamespace = namespace;
        this.podAddresses = List.copyOf(addresses);
    }

    void reject(String key, String reason) {
        rejected = key + ": " + reason;
    }

    public List<Record> records() {
        return records;
    }

    /** The namespace (lower case) the Pod addresses are in, or null. */
    public String podNamespace() {
        return podNamespace;
    }

    public List<IpAddress> podAddresses() {
        return podAddresses;
    }

    /** {@code "<key>: <reason>"}, or null. */
    public String rejected() {
        return rejected;
    }

    void addTo(ZoneRecords.Builder zone) {
        records.forEach(zone::add);
        podAddresses.forEach(ip -> zone.addPod(podNamespace, ip));
        if (rejected != null) {
            zone.rejected(rejected);
        }
    }
}
