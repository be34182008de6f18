package io.netplane.dns.forward;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;

/**
 * Upstream answers kept for as long as their TTLs allow (RFC 1035 7.4, RFC 2308 for negative answers: the
 * lesser of the SOA's TTL and minimum), bounded in entries (least recently used goes first) and in lifetime.
 * Served copies carry TTLs decreased by the time spent in the cache (one copy per entry and second, shared: callers
 * only read it). Time is a nanosecond reading passed in.
 */
public final class ResponseCache {
    private final int maxEntries;
    private final long maxTtl;
    private final Map<Key, Entry> entries;

    public record Key(Name name, int type, int dclass) {
    }

    private static final class Entry {
        final Message message;
        final long storedAt;
        final long expiresAt;
        /** From here on, a hit asks for a refresh (the last tenth of the lifetime). */
        final long refreshAt;
        boolean refreshClaimed; // guarded by the cache
        /** The copy served for {@link #agedSeconds} in the cache: made once a second, not once a query. */
        Message aged; // guarded by the cache
        long agedSeconds; // guarded by the cache

        Entry(Message message, long storedAt, long expiresAt) {
            this.message = message;
            this.storedAt = storedAt;
            this.expiresAt = expiresAt;
            this.refreshAt = expiresAt - (expiresAt - storedAt) / 10;
        }
    }

    public ResponseCache(int maxEntries, long maxTtlSeconds) {
        this.maxEntries = maxEntries;
        this.maxTtl = maxTtlSeconds;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
                return size() > ResponseCache.this.maxEntries;
            }
        };
    }

    public static Key key(Message query) {
        return key(query.getQuestion());
    }

    public static Key key(Record question) {
        return new Key(question.getName().canonicalize(), question.getType(), question.getDClass());
    }

    /** A cached response with aged TTLs, and whether the caller should fetch it again ({@link #claimRefresh}). */
    public record Hit(Message message, boolean refresh) {
    }

    /** {@link #get} and {@link #claimRefresh} under one lock; null when nothing is cached. */
    public synchronized Hit lookup(Key key, long nowNanos) {
        Message m = get(key, nowNanos);
        return m == null ? null : new Hit(m, claimRefresh(key, nowNanos));
    }

    /** The cached response with aged TTLs, or null. */
    public synchronized Message get(Key key, long nowNanos) {
        Entry e = entries.get(key);
        if (e == null) {
            return null;
        }
        if (nowNanos >= e.expiresAt) {
            entries.remove(key);
            return null;
        }
        long aged = (nowNanos - e.storedAt) / 1_000_000_000L;
        if (aged == 0) {
            return e.message;
        }
        if (e.aged == null || e.agedSeconds != aged) {
            e.aged = aged(e.message, aged);
            e.agedSeconds = aged;
        }
        return e.aged;
    }

    /**
     * True, once per stored answer, when it is in the last tenth of its lifetime: the caller then fetches it again
     * while the cached copy is still served, and {@link #put} replaces it.
     */
    public synchronized boolean claimRefresh(Key key, long nowNanos) {
        Entry e = entries.get(key);
        if (e == null || e.refreshClaimed || nowNanos < e.refreshAt || nowNanos >= e.expiresAt) {
            return false;
        }
        e.refreshClaimed = true;
        return true;
    }

    /** Stores a NOERROR or NXDOMAIN response for its TTL; anything else (SERVFAIL, truncated) is not cached. */
    public synchronized void put(Key key, Message response, long nowNanos) {
        if (maxEntries <= 0 || response.getHeader().getFlag(org.xbill.DNS.Flags.TC)) {
            return;
        }
        long ttl = ttl(response);
        if (ttl <= 0) {
            return;
        }
        entries.put(key, new Entry(response, nowNanos, nowNanos + Math.min(ttl, maxTtl) * 1_000_000_000L));
    }

    public synchronized void clear() {
        entries.clear();
    }

    public synchronized int size() {
        return entries.size();
    }

    /** The lifetime of a response: least answer TTL, or for negative answers the SOA's TTL/minimum; -1 if uncacheable. */
    static long ttl(Message response) {
        int rcode = response.getRcode();
        if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
            return -1;
        }
        List<Record> answer = response.getSection(Section.ANSWER);
        if (!answer.isEmpty() && rcode == Rcode.NOERROR) {
            return answer.stream().mapToLong(Record::getTTL).min().orElse(-1);
        }
        return response.getSection(Section.AUTHORITY).stream().filter(r -> r instanceof SOARecord)
                .mapToLong(r -> Math.min(r.getTTL(), ((SOARecord) r).getMinimum())).min().orElse(-1);
    }

    private static Record withTtl(Record r, long ttl) {
        return Record.newRecord(r.getName(), r.getType(), r.getDClass(), ttl, r.rdataToWireCanonical());
    }

    private static Message aged(Message m, long seconds) {
        Message copy = new Message(m.getHeader().getID());
        copy.getHeader().setRcode(m.getHeader().getRcode());
        for (int flag : new int[] {org.xbill.DNS.Flags.QR, org.xbill.DNS.Flags.AA, org.xbill.DNS.Flags.RD,
                org.xbill.DNS.Flags.RA, org.xbill.DNS.Flags.AD}) {
            if (m.getHeader().getFlag(flag)) {
                copy.getHeader().setFlag(flag);
            }
        }
        for (int s = Section.QUESTION; s <= Section.ADDITIONAL; s++) {
            for (Record r : m.getSection(s)) {
                copy.addRecord(s == Section.QUESTION || r instanceof OPTRecord ? r
                        : withTtl(r, Math.max(0, r.getTTL() - seconds)), s);
            }
        }
        return copy;
    }
}
