package io.netplane.dns.records;

import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The order RFC 1034 4.3.2 gives an answer section that follows CNAMEs, which stub resolvers (glibc, musl) rely on
 * when they walk it: the records of the asked name first, and every record owned by a CNAME's target after that
 * CNAME. The table tests compare answers as sets; this is the order they do not see.
 */
public final class AnswerOrder {
    private AnswerOrder() {
    }

    /** Why {@code answer} to {@code qname} is out of order, or null when it is in order. */
    public static String problem(Name qname, List<Record> answer) {
        List<Name> reached = new ArrayList<>(List.of(qname));
        for (int i = 0; i < answer.size(); i++) {
            Record r = answer.get(i);
            if (!reached.contains(r.getName())) {
                return "record " + i + " (" + Rendered.of(r) + ") is owned by a name no earlier CNAME points to";
            }
            if (r instanceof CNAMERecord cname) {
                reached.add(cname.getTarget());
            }
        }
        return null;
    }
}
