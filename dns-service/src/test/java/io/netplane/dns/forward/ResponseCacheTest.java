package io.netplane.dns.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class ResponseCacheTest {
    static final long S = 1_000_000_000L;

    static Message response(int rcode, long answerTtl, long soaTtl, long soaMin) throws Exception {
        Name name = Name.fromString("www.example.com.");
        Message m = Message.newQuery(Record.newRecord(name, Type.A, DClass.IN));
        m.getHeader().setFlag(Flags.QR);
        m.getHeader().setRcode(rcode);
        if (answerTtl >= 0) {
            m.addRecord(new ARecord(name, DClass.IN, answerTtl, InetAddress.getByName("192.0.2.1")), Section.ANSWER);
        }
        if (soaTtl >= 0) {
            Name zone = Name.fromString("example.com.");
            m.addRecord(new SOARecord(zone, DClass.IN, soaTtl, zone, zone, 1, 1, 1, 1, soaMin), Section.AUTHORITY);
        }
        return m;
    }

    @Test
    void answersLiveForTheirTtlAndAge() throws Exception {
        ResponseCache cache = new ResponseCache(10, 3600);
        Message m = response(Rcode.NOERROR, 30, -1, 0);
        ResponseCache.Key key = ResponseCache.key(m);
        cache.put(key, m, 0);
        assertThat(cache.get(key, 10 * S).getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(20);
        assertThat(cache.get(key, 30 * S)).isNull();
    }

    @Test
    void aRefreshIsClaimedOnceInTheLastTenthOfTheLifetime() throws Exception {
        ResponseCache cache = new ResponseCache(10, 3600);
        Message m = response(Rcode.NOERROR, 60, -1, 0);
        ResponseCache.Key key = ResponseCache.key(m);
        cache.put(key, m, 0);
        assertThat(cache.claimRefresh(key, 53 * S)).isFalse();
        assertThat(cache.claimRefresh(key, 55 * S)).isTrue();
        assertThat(cache.claimRefresh(key, 56 * S)).as("once").isFalse();
        assertThat(cache.get(key, 56 * S).getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(4);
        cache.put(key, m, 56 * S);
        assertThat(cache.claimRefresh(key, 57 * S)).as("the fresh answer's own lifetime").isFalse();
        assertThat(cache.claimRefresh(key, 111 * S)).isTrue();
    }

    @Test
    void negativeAnswersLiveForTheLesserOfSoaTtlAndMinimum() throws Exception {
        ResponseCache cache = new ResponseCache(10, 3600);
        Message m = response(Rcode.NXDOMAIN, -1, 300, 30);
        ResponseCache.Key key = ResponseCache.key(m);
        cache.put(key, m, 0);
        assertThat(cache.get(key, 29 * S)).isNotNull();
        assertThat(cache.get(key, 30 * S)).isNull();
    }

    @Test
    void failuresAndUnboundedTtlsAreNotKeptLong() throws Exception {
        ResponseCache cache = new ResponseCache(10, 60);
        Message fail = response(Rcode.SERVFAIL, 300, -1, 0);
        cache.put(ResponseCache.key(fail), fail, 0);
        assertThat(cache.size()).isZero();
        Message longLived = response(Rcode.NOERROR, 86400, -1, 0);
        cache.put(ResponseCache.key(longLived), longLived, 0);
        assertThat(cache.get(ResponseCache.key(longLived), 61 * S)).isNull();
    }

    @Test
    void leastRecentlyUsedGoesFirst() throws Exception {
        ResponseCache cache = new ResponseCache(2, 3600);
        for (String n : new String[] {"a.example.", "b.example.", "c.example."}) {
            Message m = Message.newQuery(Record.newRecord(Name.fromString(n), Type.A, DClass.IN));
            m.addRecord(new ARecord(Name.fromString(n), DClass.IN, 60, InetAddress.getByName("192.0.2.1")),
                    Section.ANSWER);
            cache.put(ResponseCache.key(m), m, 0);
        }
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.get(new ResponseCache.Key(Name.fromString("a.example."), Type.A, DClass.IN), 0)).isNull();
    }

    @Test
    void keysIgnoreCase() throws Exception {
        Message upper = Message.newQuery(Record.newRecord(Name.fromString("WWW.Example.COM."), Type.A, DClass.IN));
        Message lower = Message.newQuery(Record.newRecord(Name.fromString("www.example.com."), Type.A, DClass.IN));
        assertThat(ResponseCache.key(upper)).isEqualTo(ResponseCache.key(lower));
    }
}
