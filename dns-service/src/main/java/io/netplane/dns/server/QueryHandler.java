package io.netplane.dns.server;

import io.netplane.dns.forward.Forwarder;
import io.netplane.dns.records.Answer;
import io.netplane.dns.records.ZoneAnswerer;
import io.netplane.dns.records.ZoneRecords;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Turns one query packet into one response packet (or none): admission (allow-list), parsing with dnsjava
 * (garbage is answered FORMERR when its header is readable and dropped otherwise; responses sent to us are
 * dropped so two servers cannot loop), the zone answer or the forwarded one, and size-limited encoding.
 */
public final class QueryHandler {
    private static final Logger LOG = Logger.getLogger(QueryHandler.class);

    private static final Name IN_ADDR_ARPA = Name.fromConstantString("in-addr.arpa.");
    private static final Name IP6_ARPA = Name.fromConstantString("ip6.arpa.");

    private final Name origin;
    private final Supplier<ZoneRecords> zone;
    private final Forwarder forwarder;
    private final ClientAllowList allowList;
    private final DnsMetrics metrics;
    private final int maxUdpPayload;

    public QueryHandler(Name origin, Supplier<ZoneRecords> zone, Forwarder forwarder, ClientAllowList allowList, DnsMetrics metrics,
            int maxUdpPayload) {
        this.origin = origin;
        this.zone = zone;
        this.forwarder = forwarder;
        this.allowList = allowList;
        this.metrics = metrics;
        this.maxUdpPayload = maxUdpPayload;
    }

    /** @return the response bytes, or a null result when the packet is dropped */
    public CompletionStage<byte[]> handle(byte[] packet, InetAddress client, boolean tcp) {
        long start = System.nanoTime();
        if (packet.length < Header.LENGTH) {
            metrics.dropped("short");
            return CompletableFuture.completedFuture(null);
        }
        Header header;
        try {
            header = new Header(packet);
        } catch (IOException e) {
            metrics.dropped("header");
            return CompletableFuture.completedFuture(null);
        }
        if (header.getFlag(Flags.QR)) {
            metrics.dropped("response");
            return CompletableFuture.completedFuture(null);
        }
        boolean allowed = allowList.allows(client);
        Message query;
        try {
            query = new Message(packet);
        } catch (IOException | RuntimeException e) {
            if (!allowed) {
                metrics.dropped("not-allowed");
                return CompletableFuture.completedFuture(null); // strangers get no error replies to reflect
            }
            LOG.debugf("FORMERR to %s: %s", client, e.getMessage());
            return done(Responses.formErr(header), Integer.MAX_VALUE, start);
        }
        int limit = tcp ? 65535 : Responses.udpLimit(query, maxUdpPayload);
        Record question = query.getQuestion();
        if (question != null) {
            metrics.request(tcp ? "tcp" : "udp", question.getType());
        }
        Message refusal = admit(query, allowed);
        if (refusal != null) {
            return done(refusal, limit, start);
        }
        return answer(query, question).thenApply(response -> encode(response, limit, start));
    }

    /** The error response a query gets before any lookup, or null when it may be answered. */
    private Message admit(Message query, boolean allowed) {
        if (!allowed) {
            metrics.refused("not-allowed");
            return Responses.error(query, Rcode.REFUSED, maxUdpPayload, false);
        }
        int opcode = query.getHeader().getOpcode();
        OPTRecord opt = query.getOPT();
        if (opcode != Opcode.QUERY) {
            return Responses.error(query, Rcode.NOTIMP, maxUdpPayload, forwarder.hasUpstreams());
        }
        if (query.getSection(Section.QUESTION).size() != 1 || query.getSection(Section.ANSWER).size() > 0) {
            return Responses.error(query, Rcode.FORMERR, maxUdpPayload, forwarder.hasUpstreams());
        }
        if (opt != null && opt.getVersion() > 0) {
            return Responses.error(query, Responses.BADVERS, maxUdpPayload, forwarder.hasUpstreams());
        }
        Record q = query.getQuestion();
        if (q.getDClass() != DClass.IN && q.getDClass() != DClass.ANY) {
            return Responses.error(query, Rcode.REFUSED, maxUdpPayload, forwarder.hasUpstreams());
        }
        if (q.getType() == Type.AXFR || q.getType() == Type.IXFR) {
            return Responses.error(query, Rcode.REFUSED, maxUdpPayload, forwarder.hasUpstreams());
        }
        return null;
    }

    private CompletionStage<Message> answer(Message query, Record question) {
        ZoneRecords z = zone.get();
        boolean ra = forwarder.hasUpstreams();
        Answer a = z == null ? null : ZoneAnswerer.answer(z, question.getName(), question.getType());
        if (a != null && !a.isOutside()) {
            if (a.externalTarget() != null && forwarder.routes(a.externalTarget())) {
                return followExternal(query, question, a);
            }
            return CompletableFuture.completedFuture(Responses.fromAnswer(query, a, maxUdpPayload, ra));
        }
        if (z == null && isOurs(question)) {
            // The snapshot is not caught up: better SERVFAIL (clients retry) than a wrong NXDOMAIN.
            return CompletableFuture.completedFuture(Responses.error(query, Rcode.SERVFAIL, maxUdpPayload, ra));
        }
        return forwarder.resolve(question).thenApply(result -> {
            metrics.cache(result.outcome() == Forwarder.Outcome.CACHE_HIT);
            metrics.forward(result.outcome().name().toLowerCase());
            return switch (result.outcome()) {
                case CACHE_HIT, FORWARDED -> Responses.relay(query, result.response(), maxUdpPayload);
                case NO_UPSTREAM -> Responses.error(query, Rcode.REFUSED, maxUdpPayload, false);
                case FAILED -> Responses.error(query, Rcode.SERVFAIL, maxUdpPayload, ra);
            };
        });
    }

    /** An ExternalName's CNAME pointing outside the zone: the target's records are fetched upstream and appended. */
    private CompletionStage<Message> followExternal(Message query, Record question, Answer a) {
        Record targetQuestion = Record.newRecord(a.externalTarget(), question.getType(), DClass.IN);
        return forwarder.resolve(targetQuestion).thenApply(result -> {
            Message upstream = result.response();
            if (upstream == null || upstream.getRcode() != Rcode.NOERROR) {
                return Responses.fromAnswer(query, a, maxUdpPayload, true);
            }
            List<Record> chained = new ArrayList<>(a.answer());
            chained.addAll(upstream.getSection(Section.ANSWER));
            Answer merged = new Answer(true, Rcode.NOERROR, chained, List.of(), List.of(), null);
            return Responses.fromAnswer(query, merged, maxUdpPayload, true);
        });
    }

    private boolean isOurs(Record question) {
        Name name = question.getName();
        return name.subdomain(origin) || name.subdomain(IN_ADDR_ARPA) || name.subdomain(IP6_ARPA);
    }

    private byte[] encode(Message response, int limit, long start) {
        byte[] wire = Responses.encode(response, limit);
        metrics.response(response.getRcode(), start, System.nanoTime());
        return wire;
    }

    private CompletionStage<byte[]> done(Message response, int limit, long start) {
        return CompletableFuture.completedFuture(encode(response, limit, start));
    }
}
