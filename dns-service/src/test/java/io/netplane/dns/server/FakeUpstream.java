package io.netplane.dns.server;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;

/** A tiny authoritative UDP server on loopback standing in for an upstream resolver; counts what it is asked. */
final class FakeUpstream implements AutoCloseable {
    private final DatagramSocket socket;
    private final Map<String, List<Record>> records = new ConcurrentHashMap<>();
    private final AtomicInteger queries = new AtomicInteger();
    private volatile int rcodeOverride = -1;
    private volatile long delayMillis;
    private final Thread thread;

    FakeUpstream() throws SocketException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        thread = new Thread(this::serve, "fake-upstream");
        thread.setDaemon(true);
        thread.start();
    }

    FakeUpstream with(String name, int type, Record... answer) {
        records.put(key(name, type), List.of(answer));
        return this;
    }

    /** Every answer gets this rcode (e.g. SERVFAIL) from now on. */
    void failWith(int rcode) {
        rcodeOverride = rcode;
    }

    /** Every answer waits this long from now on. */
    void delay(long millis) {
        delayMillis = millis;
    }

    String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    int queries() {
        return queries.get();
    }

    private static String key(String name, int type) {
        return name.toLowerCase() + "/" + type;
    }

    private void serve() {
        byte[] buf = new byte[4096];
        while (!socket.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                queries.incrementAndGet();
                Message q = new Message(java.util.Arrays.copyOf(buf, p.getLength()));
                Message r = new Message(q.getHeader().getID());
                r.getHeader().setFlag(Flags.QR);
                r.getHeader().setFlag(Flags.RA);
                r.addRecord(q.getQuestion(), Section.QUESTION);
                List<Record> answer = records.get(key(q.getQuestion().getName().toString(), q.getQuestion().getType()));
                if (rcodeOverride >= 0) {
                    r.getHeader().setRcode(rcodeOverride);
                } else if (answer == null) {
                    r.getHeader().setRcode(Rcode.NXDOMAIN);
                    Name zone = new Name(q.getQuestion().getName(), q.getQuestion().getName().labels() - 3);
                    r.addRecord(new SOARecord(zone, DClass.IN, 300, Name.fromString("ns", zone),
                            Name.fromString("h", zone), 1, 1, 1, 1, 30), Section.AUTHORITY);
                } else {
                    answer.forEach(a -> r.addRecord(a, Section.ANSWER));
                }
                byte[] wire = r.toWire();
                if (delayMillis > 0) {
                    Thread.sleep(delayMillis);
                }
                socket.send(new DatagramPacket(wire, wire.length, p.getSocketAddress()));
            } catch (Exception e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
