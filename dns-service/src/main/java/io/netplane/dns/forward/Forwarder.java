package io.netplane.dns.forward;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;

/**
 * Resolves names outside the cluster zone through the upstreams {@link UpstreamSelector} picks, trying them in
 * order, with answers kept in a {@link ResponseCache}. Queries for the same question while one is on its way wait
 * for that one instead of going upstream again, and an answer asked for in the last tenth of its cached lifetime is
 * refreshed in the background (Unbound's {@code prefetch}), so a popular name never expires into a burst of misses.
 * UDP goes over {@link UdpExchanger}'s long-lived sockets; a truncated answer is asked again over TCP with dnsjava's
 * {@link SimpleResolver}.
 */
public final class Forwarder implements AutoCloseable {
    /** What a forward produced, for metrics. */
    public enum Outcome { CACHE_HIT, FORWARDED, NO_UPSTREAM, FAILED }

    public record Result(Message response, Outcome outcome) {
    }

    private static final int EDNS_PAYLOAD = 1232;

    private volatile UpstreamSelector selector;
    private final ResponseCache cache;
    private final Duration timeout;
    private final LongSupplier nanoTime;
    private final Map<InetSocketAddress, SimpleResolver> tcpResolvers = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, UdpExchanger> udp = new ConcurrentHashMap<>();
    /** Upstream exchanges on their way, by question: later askers join them. */
    private final Map<ResponseCache.Key, CompletableFuture<Message>> inFlight = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dns-upstream-timer");
        t.setDaemon(true);
        return t;
    });

    public Forwarder(UpstreamSelector selector, ResponseCache cache, Duration timeout, LongSupplier nanoTime) {
        this.selector = selector;
        this.cache = cache;
        this.timeout = timeout;
        this.nanoTime = nanoTime;
    }

    /** The upstream response to {@code question} (cache first); null response when no upstream is configured or all failed. */
    public CompletionStage<Result> resolve(Record question) {
        ResponseCache.Key key = ResponseCache.key(question);
        ResponseCache.Hit hit = cache.lookup(key, nanoTime.getAsLong());
        if (hit != null) {
            if (hit.refresh()) {
                fetch(key, query(question)); // in the background: this asker gets the cached answer now
            }
            return CompletableFuture.completedFuture(new Result(hit.message(), Outcome.CACHE_HIT));
        }
        if (selector.select(question.getName()).isEmpty()) {
            return CompletableFuture.completedFuture(new Result(null, Outcome.NO_UPSTREAM));
        }
        return fetch(key, query(question)).thenApply(response -> response == null ? new Result(null, Outcome.FAILED)
                : new Result(response, Outcome.FORWARDED));
    }

    private static Message query(Record question) {
        Message query = Message.newQuery(question);
        query.addRecord(new OPTRecord(EDNS_PAYLOAD, 0, 0), Section.ADDITIONAL);
        return query;
    }

    /** The upstream answer to {@code query}, joining the exchange already on its way for the same question; cached. */
    private CompletableFuture<Message> fetch(ResponseCache.Key key, Message query) {
        CompletableFuture<Message> mine = new CompletableFuture<>();
        CompletableFuture<Message> theirs = inFlight.putIfAbsent(key, mine);
        if (theirs != null) {
            return theirs;
        }
        UpstreamSelector current = selector;
        attempt(query, current.select(query.getQuestion().getName()), 0).whenComplete((response, error) -> {
            if (response != null && selector == current) { // not from upstreams replaced while it was on its way
                cache.put(key, response, nanoTime.getAsLong());
            }
            inFlight.remove(key, mine); // after the cache has it: a later asker finds one or the other
            mine.complete(error == null ? response : null);
        });
        return mine;
    }

    /**
     * Forwards with {@code next} from now on. Cached answers are dropped: they came from the previous upstreams and
     * would otherwise outlive the change by their TTL.
     */
    public void reconfigure(UpstreamSelector next) {
        selector = next;
        inFlight.clear();
        cache.clear();
        // the sockets to the previous upstreams: closed once the queries on their way have had their time
        List<UdpExchanger> previous = List.copyOf(udp.values());
        udp.clear();
        timer.schedule(() -> previous.forEach(UdpExchanger::close), timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    }

    public boolean hasUpstreams() {
        return !selector.isEmpty();
    }

    public int cacheSize() {
        return cache.size();
    }

    private CompletionStage<Message> attempt(Message query, List<InetSocketAddress> upstreams, int i) {
        if (i >= upstreams.size()) {
            return CompletableFuture.completedFuture(null);
        }
        InetSocketAddress upstream = upstreams.get(i);
        return udp.computeIfAbsent(upstream, u -> new UdpExchanger(u, timeout, timer)).exchange(query)
                .thenCompose(response -> response.getHeader().getFlag(Flags.TC)
                        ? tcpResolvers.computeIfAbsent(upstream, this::tcpResolver).sendAsync(query)
                        : CompletableFuture.completedFuture(response))
                .handle((response, error) -> {
            if (error == null && response != null && isUsable(response)) {
                return CompletableFuture.completedFuture(response);
            }
            return attempt(query, upstreams, i + 1);
        }).thenCompose(stage -> stage);
    }

    /** SERVFAIL and REFUSED from one upstream mean "try the next one". */
    private static boolean isUsable(Message m) {
        int rcode = m.getRcode();
        return rcode != org.xbill.DNS.Rcode.SERVFAIL && rcode != org.xbill.DNS.Rcode.REFUSED
                && !m.getHeader().getFlag(Flags.TC);
    }

    private SimpleResolver tcpResolver(InetSocketAddress upstream) {
        SimpleResolver r = new SimpleResolver(upstream);
        r.setTCP(true);
        r.setTimeout(timeout);
        return r;
    }

    /** Closes the upstream sockets. */
    @Override
    public void close() {
        udp.values().forEach(UdpExchanger::close);
        timer.shutdownNow();
    }

    /** True when {@code name} is one of the names this forwarder would send upstream. */
    public boolean routes(Name name) {
        return !selector.select(name).isEmpty();
    }
}
