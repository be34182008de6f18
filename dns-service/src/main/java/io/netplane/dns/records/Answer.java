package io.netplane.dns.records;

import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;

/**
 * What the zone says about one question: an authoritative answer (rcode and the three sections), or
 * {@link #outside()} when the name is not ours and the shell must forward it.
 *
 * @param externalTarget when the answer ends in a CNAME whose target lies outside the zone, that target (the
 *     shell may resolve it upstream and append the result); otherwise null
 */
public record Answer(boolean authoritative, int rcode, List<Record> answer, List<Record> authority,
        List<Record> additional, Name externalTarget) {

    private static final Answer OUTSIDE = new Answer(false, Rcode.NOERROR, List.of(), List.of(), List.of(), null);

    public Answer {
        answer = List.copyOf(answer);
        authority = List.copyOf(authority);
        additional = List.copyOf(additional);
    }

    public static Answer outside() {
        return OUTSIDE;
    }

    public boolean isOutside() {
        return !authoritative;
    }
}
