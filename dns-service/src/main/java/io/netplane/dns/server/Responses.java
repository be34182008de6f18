package io.netplane.dns.server;

import io.netplane.dns.records.Answer;
import java.util.List;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Builds response messages from a query and an answer, with EDNS0 (RFC 6891) echoed when the client used it,
 * and encodes them under a size limit: a response that does not fit is sent with TC set and only its question,
 * so the client retries over TCP (RFC 7766). Pure: no sockets.
 */
public final class Responses {
    /** The payload a client without EDNS0 can take over UDP (RFC 1035). */
    public static final int CLASSIC_UDP_LIMIT = 512;
    public static final int BADVERS = 16;

    private Responses() {
    }

    /** The authoritative response carrying {@code answer}; {@code recursionAvailable} sets RA. */
    public static Message fromAnswer(Message query, Answer answer, int ednsPayload, boolean recursionAvailable) {
        Message r = start(query, answer.rcode(), ednsPayload, recursionAvailable);
        r.getHeader().setFlag(Flags.AA);
        answer.answer().forEach(rec -> r.addRecord(rec, Section.ANSWER));
        answer.authority().forEach(rec -> r.addRecord(rec, Section.AUTHORITY));
        answer.additional().forEach(rec -> r.addRecord(rec, Section.ADDITIONAL));
        return r;
    }

    /** An upstream's response relayed under the client's id, with this server's EDNS0 record in place of the upstream's. */
    public static Message relay(Message query, Message upstream, int ednsPayload) {
        Message r = start(query, upstream.getRcode(), ednsPayload, true);
        Header uh = upstream.getHeader();
        if (uh.getFlag(Flags.AD) && query.getHeader().getFlag(Flags.AD)) {
            r.getHeader().setFlag(Flags.AD);
        }
        for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
            for (Record rec : upstream.getSection(section)) {
                if (!(rec instanceof OPTRecord)) {
                    r.addRecord(rec, section);
                }
            }
        }
        return r;
    }

    /** An error response (FORMERR, REFUSED, SERVFAIL, NOTIMP, BADVERS) echoing the question when there is one. */
    public static Message error(Message query, int rcode, int ednsPayload, boolean recursionAvailable) {
        return start(query, rcode, ednsPayload, recursionAvailable);
    }

    /** FORMERR for a packet whose header parsed but whose body did not: only the id and opcode are echoed. */
    public static Message formErr(Header queryHeader) {
        Message r = new Message(queryHeader.getID());
        Header h = r.getHeader();
        h.setFlag(Flags.QR);
        h.setOpcode(queryHeader.getOpcode());
        if (queryHeader.getFlag(Flags.RD)) {
            h.setFlag(Flags.RD);
        }
        h.setRcode(org.xbill.DNS.Rcode.FORMERR);
        return r;
    }

    private static Message start(Message query, int rcode, int ednsPayload, boolean recursionAvailable) {
        Header qh = query.getHeader();
        Message r = new Message(qh.getID());
        Header h = r.getHeader();
        h.setFlag(Flags.QR);
        h.setOpcode(qh.getOpcode());
        if (qh.getFlag(Flags.RD)) {
            h.setFlag(Flags.RD);
        }
        if (qh.getFlag(Flags.CD)) {
            h.setFlag(Flags.CD);
        }
        if (recursionAvailable) {
            h.setFlag(Flags.RA);
        }
        h.setRcode(rcode & 0xF);
        Record question = query.getQuestion();
        if (question != null && qh.getOpcode() == Opcode.QUERY) {
            r.addRecord(question, Section.QUESTION);
        }
        OPTRecord opt = query.getOPT();
        if (opt != null) {
            int flags = opt.getFlags() & ExtendedFlags.DO;
            r.addRecord(new OPTRecord(ednsPayload, rcode >>> 4, 0, flags, List.of()), Section.ADDITIONAL);
        }
        return r;
    }

    /** The UDP payload limit for this query: 512 without EDNS0, else the client's size capped by ours. */
    public static int udpLimit(Message query, int ourMax) {
        OPTRecord opt = query.getOPT();
        if (opt == null) {
            return CLASSIC_UDP_LIMIT;
        }
        return Math.max(CLASSIC_UDP_LIMIT, Math.min(opt.getPayloadSize(), ourMax));
    }

    /** Encodes {@code response}; if it exceeds {@code limit}, the truncated form (TC, question and OPT only). */
    public static byte[] encode(Message response, int limit) {
        byte[] wire = response.toWire();
        if (wire.length <= limit) {
            return wire;
        }
        Message t = new Message(response.getHeader().getID());
        Header h = t.getHeader();
        Header rh = response.getHeader();
        for (int flag : new int[] {Flags.QR, Flags.AA, Flags.RD, Flags.RA, Flags.CD}) {
            if (rh.getFlag(flag)) {
                h.setFlag(flag);
            }
        }
        h.setFlag(Flags.TC);
        h.setOpcode(rh.getOpcode());
        h.setRcode(rh.getRcode());
        Record question = response.getQuestion();
        if (question != null) {
            t.addRecord(question, Section.QUESTION);
        }
        OPTRecord opt = response.getOPT();
        if (opt != null) {
            t.addRecord(opt, Section.ADDITIONAL);
        }
        return t.toWire();
    }
}
