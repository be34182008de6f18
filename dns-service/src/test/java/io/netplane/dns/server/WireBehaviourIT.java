package io.netplane.dns.server;

import static io.netplane.dns.records.Views.endpoint;
import static io.netplane.dns.records.Views.headless;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netplane.api.events.EndpointSliceView.EndpointView;
import io.netplane.dns.records.PodMode;
import io.netplane.dns.records.Views;
import io.netplane.dns.records.ZonePlanner;
import io.netplane.dns.records.ZoneRecords;
import io.netplane.dns.records.ZoneTable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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

/** Protocol behaviour over real sockets: EDNS0, truncation and TCP fallback, bad packets, admission, metrics. */
class WireBehaviourIT {
    static WireHarness wire;

    @BeforeAll
    static void start() throws Exception {
        List<EndpointView> many = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            many.add(endpoint(null, true, "10.2.0." + i));
        }
        ZoneRecords zone = ZonePlanner.plan(ZoneTable.settings(PodMode.DISABLED),
                List.of(Views.clusterIp("default", "web", List.of("10.96.0.10")), headless("default", "big", false)),
                List.of(Views.slice("default", "big-1", "big", "IPv4", List.of(), many.toArray(EndpointView[]::new))),
                List.of());
        wire = new WireHarness(zone);
    }

    @AfterAll
    static void stop() throws Exception {
        wire.close();
    }

    static Message question(String name, int type) throws Exception {
        return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    }

    @Test
    void edns0IsEchoedWithOurPayloadSize() throws Exception {
        Message q = question("web.default.svc.cluster.local.", Type.A);
        q.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
        Message r = wire.send(q, false);
        assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(r.getOPT()).isNotNull();
        assertThat(r.getOPT().getPayloadSize()).isEqualTo(1232);
        assertThat(r.getOPT().getVersion()).isZero();
    }

    @Test
    void unknownEdnsVersionGetsBadvers() throws Exception {
        Message q = question("web.default.svc.cluster.local.", Type.A);
        q.addRecord(new OPTRecord(4096, 0, 1), Section.ADDITIONAL);
        Message r = wire.send(q, false);
        assertThat(Rcode.string(r.getRcode())).isEqualTo("BADVERS");
        assertThat(r.getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void largeAnswerIsTruncatedOverUdpAndWholeOverTcp() throws Exception {
        Message udp = wire.query("big.default.svc.cluster.local.", Type.A, false);
        assertThat(udp.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(udp.getSection(Section.ANSWER)).isEmpty();

        Message tcp = wire.query("big.default.svc.cluster.local.", Type.A, true);
        assertThat(tcp.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(tcp.getSection(Section.ANSWER)).hasSize(100);
    }

    @Test
    void resolverFallsBackToTcpOnTruncation() throws Exception {
        var resolver = new org.xbill.DNS.SimpleResolver(new InetSocketAddress("127.0.0.1", wire.port));
        resolver.setTimeout(Duration.ofSeconds(3));
        Message r = resolver.send(question("big.default.svc.cluster.local.", Type.A));
        assertThat(r.getSection(Section.ANSWER)).hasSize(100);
    }

    @Test
    void ednsClientGetsUpToItsBufferSize() throws Exception {
        Message q = question("big.default.svc.cluster.local.", Type.A);
        q.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
        byte[] reply = wire.raw(q.toWire(), "127.0.0.1", Duration.ofSeconds(2));
        assertThat(reply.length).isLessThanOrEqualTo(1232);
        assertThat(new Message(reply).getHeader().getFlag(Flags.TC)).isTrue(); // 100 A records need ~1.6 kB
    }

    @Test
    void garbageIsDroppedOrFormerrAndTheServerKeepsAnswering() throws Exception {
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            byte[] junk = new byte[3 + random.nextInt(600)];
            random.nextBytes(junk);
            junk[2] &= 0x7F; // QR clear, so it is a "query" the server must look at
            byte[] reply = wire.raw(junk, "127.0.0.1", Duration.ofMillis(50));
            if (reply != null) {
                Message m = new Message(reply);
                assertThat(m.getHeader().getID()).isEqualTo(((junk[0] & 0xFF) << 8) | (junk[1] & 0xFF));
                assertThat(m.getHeader().getFlag(Flags.QR)).isTrue();
            }
        }
        assertThat(wire.query("web.default.svc.cluster.local.", Type.A, false).getRcode()).isEqualTo(Rcode.NOERROR);
    }

    @Test
    void shortPacketsAndResponsesAreDropped() throws Exception {
        assertThat(wire.raw(new byte[] {1, 2, 3, 4, 5}, "127.0.0.1", Duration.ofMillis(300))).isNull();
        Message response = question("web.default.svc.cluster.local.", Type.A);
        response.getHeader().setFlag(Flags.QR);
        assertThat(wire.raw(response.toWire(), "127.0.0.1", Duration.ofMillis(300))).isNull();
    }

    @Test
    void compressionLoopIsFormerr() throws Exception {
        ByteBuffer b = header(0x1234, 0, 1);
        b.putShort((short) 0xC00C); // the question name points at itself
        b.putShort((short) Type.A).putShort((short) DClass.IN);
        assertThat(rcodeOf(b)).isEqualTo("FORMERR");
    }

    @Test
    void pointerForwardIsFormerr() throws Exception {
        ByteBuffer b = header(0x1235, 0, 1);
        b.putShort((short) 0xC014); // points past itself
        b.putShort((short) Type.A).putShort((short) DClass.IN);
        b.put((byte) 1).put((byte) 'a').put((byte) 0);
        assertThat(rcodeOf(b)).isEqualTo("FORMERR");
    }

    @Test
    void overlongNameIsFormerr() throws Exception {
        ByteBuffer b = header(0x1236, 0, 1);
        for (int i = 0; i < 5; i++) { // 5 × 64 octets > 255
            b.put((byte) 63);
            for (int j = 0; j < 63; j++) {
                b.put((byte) 'a');
            }
        }
        b.put((byte) 0).putShort((short) Type.A).putShort((short) DClass.IN);
        assertThat(rcodeOf(b)).isEqualTo("FORMERR");
    }

    @Test
    void questionCutShortIsFormerr() throws Exception {
        ByteBuffer b = header(0x1237, 0, 1);
        b.put((byte) 3).put((byte) 'w');
        assertThat(rcodeOf(b)).isEqualTo("FORMERR");
    }

    @Test
    void twoQuestionsOrNoneAreFormerr() throws Exception {
        Message two = question("web.default.svc.cluster.local.", Type.A);
        two.addRecord(Record.newRecord(Name.fromString("big.default.svc.cluster.local."), Type.A, DClass.IN),
                Section.QUESTION);
        assertThat(Rcode.string(new Message(wire.raw(two.toWire(), "127.0.0.1", Duration.ofSeconds(2))).getRcode()))
                .isEqualTo("FORMERR");
        assertThat(rcodeOf(header(0x1238, 0, 0))).isEqualTo("FORMERR");
    }

    @Test
    void otherOpcodesAreNotImplemented() throws Exception {
        Message notify = question("cluster.local.", Type.SOA);
        notify.getHeader().setOpcode(Opcode.NOTIFY);
        Message r = new Message(wire.raw(notify.toWire(), "127.0.0.1", Duration.ofSeconds(2)));
        assertThat(Rcode.string(r.getRcode())).isEqualTo("NOTIMP");
    }

    @Test
    void zoneTransfersAndOtherClassesAreRefused() throws Exception {
        byte[] axfr = question("cluster.local.", Type.AXFR).toWire();
        assertThat(Rcode.string(new Message(wire.raw(axfr, "127.0.0.1", Duration.ofSeconds(2))).getRcode()))
                .isEqualTo("REFUSED");
        Message chaos = Message.newQuery(Record.newRecord(Name.fromString("version.bind."), Type.TXT, DClass.CH));
        assertThat(Rcode.string(wire.send(chaos, false).getRcode())).isEqualTo("REFUSED");
    }

    @Test
    void severalQueriesOnOneTcpConnection() throws Exception {
        try (Socket s = new Socket("127.0.0.1", wire.port)) {
            s.setSoTimeout(3000);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] a = question("web.default.svc.cluster.local.", Type.A).toWire();
            byte[] b = question("nope.default.svc.cluster.local.", Type.A).toWire();
            ByteBuffer both = ByteBuffer.allocate(4 + a.length + b.length);
            both.putShort((short) a.length).put(a).putShort((short) b.length).put(b);
            out.write(both.array()); // pipelined in one segment
            out.flush();
            List<Integer> rcodes = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                byte[] reply = new byte[in.readUnsignedShort()];
                in.readFully(reply);
                rcodes.add(new Message(reply).getRcode());
            }
            assertThat(rcodes).containsExactlyInAnyOrder(Rcode.NOERROR, Rcode.NXDOMAIN);
        }
    }

    @Test
    void idleTcpConnectionsAreClosed() throws Exception {
        try (WireHarness tight = new WireHarness(wire.zone.get(), Map.of(), List.of(), List.of("127.0.0.0/8"), 0, 64,
                Duration.ofMillis(300))) {
            try (Socket idle = new Socket("127.0.0.1", tight.port)) {
                idle.setSoTimeout(3000);
                assertThat(idle.getInputStream().read()).as("closed by the server").isEqualTo(-1);
            }
        }
    }

    @Test
    void tcpConnectionsOverTheCapAreClosed() throws Exception {
        try (WireHarness capped = new WireHarness(wire.zone.get(), Map.of(), List.of(), List.of("127.0.0.0/8"), 0, 2,
                Duration.ofSeconds(30))) {
            try (Socket a = new Socket("127.0.0.1", capped.port); Socket b = new Socket("127.0.0.1", capped.port)) {
                Thread.sleep(200);
                try (Socket c = new Socket("127.0.0.1", capped.port)) {
                    c.setSoTimeout(3000);
                    assertThat(c.getInputStream().read()).as("third connection is closed").isEqualTo(-1);
                }
                a.setSoTimeout(300);
                assertThatThrownBy(() -> a.getInputStream().read()).as("the first two stay open")
                        .isInstanceOf(java.net.SocketTimeoutException.class);
            }
        }
    }

    @Test
    void clientsOutsideTheAllowListAreRefused() throws Exception {
        try (WireHarness closed = new WireHarness(wire.zone.get(), Map.of(), List.of(), List.of("127.0.0.2/32"), 0)) {
            byte[] q = question("web.default.svc.cluster.local.", Type.A).toWire();
            Message fromOther = new Message(closed.raw(q, "127.0.0.1", Duration.ofSeconds(2)));
            assertThat(Rcode.string(fromOther.getRcode())).isEqualTo("REFUSED");
            assertThat(fromOther.getSection(Section.ANSWER)).isEmpty();
            Message fromAllowed = new Message(closed.raw(q, "127.0.0.2", Duration.ofSeconds(2)));
            assertThat(fromAllowed.getRcode()).isEqualTo(Rcode.NOERROR);
            ByteBuffer loop = header(0x4321, 0, 1);
            loop.putShort((short) 0xC00C).putShort((short) Type.A).putShort((short) DClass.IN);
            byte[] garbage = java.util.Arrays.copyOf(loop.array(), loop.position());
            assertThat(closed.raw(garbage, "127.0.0.1", Duration.ofMillis(500))).as("no FORMERR for strangers").isNull();
            assertThat(closed.raw(garbage, "127.0.0.2", Duration.ofSeconds(2))).as("FORMERR for clients").isNotNull();
        }
    }

    @Test
    void oneClientsFloodDoesNotStarveAnother() throws Exception {
        try (WireHarness limited = new WireHarness(wire.zone.get(), Map.of(), List.of(), List.of("127.0.0.0/8"), 50)) {
            byte[] q = question("web.default.svc.cluster.local.", Type.A).toWire();
            java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicBoolean flooding = new java.util.concurrent.atomic.AtomicBoolean(true);
            try (DatagramSocket flood = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0))) {
                Thread flooder = new Thread(() -> {
                    try {
                        while (flooding.get()) {
                            flood.send(new DatagramPacket(q, q.length, InetAddress.getByName("127.0.0.1"), limited.port));
                            sent.incrementAndGet();
                            if (sent.get() % 50 == 0) {
                                Thread.sleep(1); // a sustained flood, not one burst the kernel queue swallows
                            }
                        }
                    } catch (Exception e) {
                        // socket closed
                    }
                });
                Thread drain = new Thread(() -> {
                    byte[] buf = new byte[512];
                    try {
                        while (true) {
                            flood.receive(new DatagramPacket(buf, buf.length));
                            answered.incrementAndGet();
                        }
                    } catch (Exception e) {
                        // closed
                    }
                });
                flooder.start();
                drain.start();
                Thread.sleep(200);
                // the victim asks during the flood, retrying on timeout as stub resolvers do
                for (int i = 0; i < 20; i++) {
                    byte[] reply = null;
                    for (int attempt = 0; attempt < 3 && reply == null; attempt++) {
                        reply = limited.raw(q, "127.0.0.3", Duration.ofSeconds(1));
                    }
                    assertThat(reply).as("victim query %d answered", i).isNotNull();
                    assertThat(new Message(reply).getRcode()).isEqualTo(Rcode.NOERROR);
                }
                flooding.set(false);
                flooder.join();
            }
            assertThat(sent.get()).as("the flood lasted the whole exchange").isGreaterThan(1000);
            assertThat(answered.get()).as("the flooder gets its burst plus 50/s, not all %d", sent.get())
                    .isLessThan(sent.get() / 4);
            assertThat(limited.counter("netplane.dns.dropped", "reason", "rate-limited")).isGreaterThan(sent.get() / 2);
        }
    }

    @Test
    void beforeTheSnapshotIsCaughtUpClusterNamesGetServfailNeverNxdomain() throws Exception {
        try (WireHarness cold = new WireHarness(null)) {
            assertThat(Rcode.string(cold.query("web.default.svc.cluster.local.", Type.A, false).getRcode()))
                    .isEqualTo("SERVFAIL");
            assertThat(Rcode.string(cold.query("10.0.96.10.in-addr.arpa.", Type.PTR, true).getRcode()))
                    .isEqualTo("SERVFAIL");
            cold.zone.set(wire.zone.get());
            assertThat(cold.query("web.default.svc.cluster.local.", Type.A, false).getRcode()).isEqualTo(Rcode.NOERROR);
        }
    }

    @Test
    void metricsCountRequestsAndRcodes() throws Exception {
        double before = wire.counter("netplane.dns.responses", "rcode", "NXDOMAIN");
        wire.query("absent.default.svc.cluster.local.", Type.AAAA, false);
        assertThat(wire.counter("netplane.dns.responses", "rcode", "NXDOMAIN")).isEqualTo(before + 1);
        assertThat(wire.counter("netplane.dns.requests", "proto", "udp", "type", "AAAA")).isGreaterThanOrEqualTo(1);
        assertThat(wire.registry.find("netplane.dns.request.duration").timer().count()).isPositive();
    }

    private static ByteBuffer header(int id, int flags, int qdcount) {
        ByteBuffer b = ByteBuffer.allocate(512);
        b.putShort((short) id).putShort((short) flags).putShort((short) qdcount).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0);
        return b;
    }

    private static String rcodeOf(ByteBuffer b) throws Exception {
        byte[] packet = java.util.Arrays.copyOf(b.array(), b.position());
        byte[] reply = wire.raw(packet, "127.0.0.1", Duration.ofSeconds(2));
        assertThat(reply).as("a reply").isNotNull();
        Header h = new Header(reply);
        assertThat(h.getID()).isEqualTo(((packet[0] & 0xFF) << 8) | (packet[1] & 0xFF));
        return Rcode.string(h.getRcode());
    }
}
