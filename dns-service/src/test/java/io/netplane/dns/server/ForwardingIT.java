package io.netplane.dns.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.dns.records.PodMode;
import io.netplane.dns.records.Rendered;
import io.netplane.dns.records.ZoneTable;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Names outside the cluster zone, through real upstream servers on loopback: the ClusterFirst path of a Pod. */
class ForwardingIT {
    FakeUpstream upstream;
    FakeUpstream corp;
    WireHarness wire;

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeUpstream()
                .with("www.example.com.", Type.A, a("www.example.com.", 60, "192.0.2.1"))
                .with("4.3.2.1.in-addr.arpa.", Type.PTR, new PTRRecord(Name.fromString("4.3.2.1.in-addr.arpa."),
                        DClass.IN, 60, Name.fromString("host.example.com.")));
        corp = new FakeUpstream().with("db.corp.internal.", Type.A, a("db.corp.internal.", 60, "198.51.100.7"));
        wire = new WireHarness(ZoneTable.zone(PodMode.DISABLED), Map.of("corp.internal", List.of(corp.address())),
                List.of(upstream.address()), List.of("127.0.0.0/8"), 0);
    }

    @AfterEach
    void stop() throws Exception {
        wire.close();
        upstream.close();
        corp.close();
    }

    static ARecord a(String name, long ttl, String ip) throws Exception {
        return new ARecord(Name.fromString(name), DClass.IN, ttl, InetAddress.getByName(ip));
    }

    @Test
    void outsideNamesAreForwardedAndCached() throws Exception {
        for (boolean tcp : new boolean[] {false, true}) {
            Message r = wire.query("www.example.com.", Type.A, tcp);
            assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(r.getHeader().getFlag(Flags.RA)).isTrue();
            assertThat(r.getHeader().getFlag(Flags.AA)).isFalse();
            assertThat(r.getSection(Section.ANSWER)).extracting(Record::rdataToString).containsExactly("192.0.2.1");
            assertThat(r.getSection(Section.ANSWER).get(0).getTTL()).isBetween(58L, 60L);
        }
        assertThat(upstream.queries()).as("second answer came from the cache").isEqualTo(1);
        assertThat(wire.counter("netplane.dns.cache.hits")).isEqualTo(1);
        assertThat(wire.counter("netplane.dns.cache.misses")).isEqualTo(1);
    }

    @Test
    void upstreamNxdomainIsRelayedAndCachedNegatively() throws Exception {
        Message r = wire.query("missing.example.com.", Type.A, false);
        assertThat(Rcode.string(r.getRcode())).isEqualTo("NXDOMAIN");
        assertThat(r.getSection(Section.AUTHORITY)).extracting(Record::getType).containsExactly(Type.SOA);
        wire.query("missing.example.com.", Type.A, false);
        assertThat(upstream.queries()).isEqualTo(1);
    }

    @Test
    void stubDomainsGoToTheirOwnUpstream() throws Exception {
        Message r = wire.query("db.corp.internal.", Type.A, false);
        assertThat(r.getSection(Section.ANSWER)).extracting(Record::rdataToString).containsExactly("198.51.100.7");
        assertThat(corp.queries()).isEqualTo(1);
        assertThat(upstream.queries()).isZero();
    }

    @Test
    void reverseNamesTheClusterDoesNotOwnAreForwarded() throws Exception {
        Message r = wire.query("4.3.2.1.in-addr.arpa.", Type.PTR, false);
        assertThat(r.getSection(Section.ANSWER)).extracting(Record::rdataToString).containsExactly("host.example.com.");
        Message ours = wire.query("10.0.96.10.in-addr.arpa.", Type.PTR, false);
        assertThat(ours.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(upstream.queries()).isEqualTo(1);
    }

    @Test
    void externalNameOutsideTheZoneIsChasedUpstream() throws Exception {
        Message r = wire.query("ext.default.svc.cluster.local.", Type.A, false);
        assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(Rendered.all(r.getSection(Section.ANSWER))).containsExactly(
                "ext.default.svc.cluster.local. 5 CNAME www.example.com.", "www.example.com. 60 A 192.0.2.1");
    }

    @Test
    void failingUpstreamIsSkippedForTheNextOne() throws Exception {
        FakeUpstream broken = new FakeUpstream();
        broken.failWith(Rcode.SERVFAIL);
        try (WireHarness two = new WireHarness(wire.zone.get(), Map.of(),
                List.of(broken.address(), upstream.address()), List.of("127.0.0.0/8"), 0)) {
            Message r = two.query("www.example.com.", Type.A, false);
            assertThat(r.getSection(Section.ANSWER)).extracting(Record::rdataToString).containsExactly("192.0.2.1");
            assertThat(broken.queries()).isEqualTo(1);
        } finally {
            broken.close();
        }
    }

    @Test
    void unreachableUpstreamGivesServfail() throws Exception {
        int deadPort;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort();
        }
        try (WireHarness dead = new WireHarness(wire.zone.get(), Map.of(), List.of("127.0.0.1:" + deadPort),
                List.of("127.0.0.0/8"), 0)) {
            Message r = dead.query("www.example.com.", Type.A, false);
            assertThat(Rcode.string(r.getRcode())).isEqualTo("SERVFAIL");
        }
    }

    @Test
    void clusterNamesAreNeverForwarded() throws Exception {
        Message r = wire.query("nosuch.default.svc.cluster.local.", Type.A, false);
        assertThat(Rcode.string(r.getRcode())).isEqualTo("NXDOMAIN");
        assertThat(upstream.queries()).isZero();
    }
}
