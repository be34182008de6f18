package io.netplane.dns.records;

import io.netplane.api.net.IpAddress;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** Records as one-line strings a reader can compare with the specification: {@code owner ttl TYPE rdata}. */
public final class Rendered {
    private Rendered() {
    }

    public static String of(Record r) {
        String rdata = r instanceof AAAARecord aaaa ? IpAddress.fromBytes(aaaa.getAddress().getAddress()).toString()
                : r.rdataToString();
        return r.getName() + " " + r.getTTL() + " " + Type.string(r.getType()) + " " + rdata;
    }

    public static List<String> all(List<Record> records) {
        return records.stream().map(Rendered::of).toList();
    }
}
