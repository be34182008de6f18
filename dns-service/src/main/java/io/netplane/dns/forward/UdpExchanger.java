package io.netplane.dns.forward;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;

/**
 * UDP exchanges with one upstream over a connected socket that lives for {@link #ROTATE_NANOS} and is drained by its
 * own thread: a query costs one send and one receive, and its answer is handed on from that thread. (dnsjava's
 * {@code SimpleResolver} opens, binds and closes a socket per query and completes every answer on the common
 * fork-join pool, one thread on two CPUs: a burst of cache misses queued there for over 100 ms.) An answer is taken
 * only when its id and question match a query in flight (RFC 5452); ids are random, and the socket, so its source
 * port, is replaced every 10 s (CoreDNS's {@code forward} reuses its sockets for as long by default).
 */
final class UdpExchanger implements AutoCloseable {
    static final long ROTATE_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final SecureRandom IDS = new SecureRandom();

    private final InetSocketAddress upstream;
    private final Duration timeout;
    private final ScheduledExecutorService timer;
    private Socket current; // guarded by this
    private boolean closed; // guarded by this

    private record Pending(Record question, CompletableFuture<Message> answer) {
    }

    /** One connected socket, its queries in flight by id, and the thread reading its answers. */
    private static final class Socket {
        final DatagramChannel channel;
        final long openedAt = System.nanoTime();
        final Map<Integer, Pending> pending = new ConcurrentHashMap<>();

        Socket(DatagramChannel channel) {
            this.channel = channel;
        }

        void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    UdpExchanger(InetSocketAddress upstream, Duration timeout, ScheduledExecutorService timer) {
        this.upstream = upstream;
        this.timeout = timeout;
        this.timer = timer;
    }

    /** The upstream's answer to {@code query} (sent under an id of its own); fails on timeout or a socket error. */
    CompletableFuture<Message> exchange(Message query) {
        CompletableFuture<Message> answer = new CompletableFuture<>();
        Socket s;
        try {
            s = socket();
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        Pending p = new Pending(query.getQuestion(), answer);
        int id;
        do {
            id = IDS.nextInt(0x10000);
        } while (s.pending.putIfAbsent(id, p) != null);
        Message q = query.clone();
        q.getHeader().setID(id);
        int key = id;
        try {
            s.channel.write(ByteBuffer.wrap(q.toWire()));
        } catch (IOException e) {
            s.pending.remove(key, p);
            return CompletableFuture.failedFuture(e);
        }
        ScheduledFuture<?> expiry;
        try {
            expiry = timer.schedule(() -> {
                if (s.pending.remove(key, p)) {
                    answer.completeExceptionally(new SocketTimeoutException("no answer from " + upstream + " in " + timeout));
                }
            }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) { // the forwarder is closing
            s.pending.remove(key, p);
            return CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((m, e) -> expiry.cancel(false));
        return answer;
    }

    private synchronized Socket socket() throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        Socket old = current;
        if (old != null && System.nanoTime() - old.openedAt < ROTATE_NANOS) {
            return old;
        }
        DatagramChannel ch = DatagramChannel.open();
        try {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
            ch.connect(upstream); // binds a fresh ephemeral port; the kernel then delivers only the upstream's packets
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        Socket s = new Socket(ch);
        Thread reader = new Thread(() -> read(s), "dns-upstream-" + upstream.getPort());
        reader.setDaemon(true);
        reader.start();
        current = s;
        if (old != null) { // its queries in flight get their answers or time out first
            try {
                timer.schedule(old::close, timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) { // the forwarder is closing
                old.close();
            }
        }
        return s;
    }

    private void read(Socket s) {
        ByteBuffer buf = ByteBuffer.allocate(65535);
        while (true) {
            buf.clear();
            try {
                s.channel.read(buf);
            } catch (PortUnreachableException e) { // ICMP: nobody listens there, so nothing in flight will be answered
                s.pending.forEach((id, p) -> {
                    if (s.pending.remove(id, p)) {
                        p.answer().completeExceptionally(e);
                    }
                });
                continue;
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                continue;
            }
            if (buf.position() < Header.LENGTH) {
                continue;
            }
            int id = ((buf.get(0) & 0xff) << 8) | (buf.get(1) & 0xff);
            Pending p = s.pending.get(id);
            if (p == null) {
                continue;
            }
            Message m;
            try {
                m = new Message(Arrays.copyOf(buf.array(), buf.position()));
            } catch (IOException | RuntimeException e) {
                continue; // garbage under a live id: the real answer may still come
            }
            if (matches(m, p.question()) && s.pending.remove(id, p)) {
                p.answer().complete(m);
            }
        }
    }

    private static boolean matches(Message m, Record question) {
        Record q = m.getQuestion();
        return m.getHeader().getFlag(Flags.QR) && q != null && q.getType() == question.getType()
                && q.getDClass() == question.getDClass() && q.getName().equals(question.getName());
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (current != null) {
            current.close();
        }
    }
}
