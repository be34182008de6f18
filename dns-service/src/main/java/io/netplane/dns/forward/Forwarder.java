package io.netplane.dns.forward;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;

/**
 * Resolves names outside the cluster zone through the upstreams {@link UpstreamSelector} picks, trying them in
 * order, with answers kept in a {@link ResponseCache}. dnsjava's {@link SimpleResolver} does the exchange (UDP,
 * retried over TCP when the upstream truncates).
 */
public final class Forwarder {
    /** What a forward produced, for metrics. */
    public enum Outcome { CACHE_HIT, FORWARDED, NO_UPSTREAM, FAILED }

    public record Result(Message response, Outcome outcome) {
    }

    private volatile UpstreamSelector selector;
    private final ResponseCache cache;
    private final Duration timeout;
    private final LongSupplier nanoTime;
    private final Map<InetSocketAddress, SimpleResolver> resolvers = new ConcurrentHashMap<>();

    public Forwarder(UpstreamSelector selector, ResponseCache cache, Duration timeout, LongSupplier nanoTime) {
        this.selector = selector;
        this.cache = cache;
        this.timeout = timeout;
        this.nanoTime = nanoTime;
    }

    /** The upstream response to {@code question} (cache first); null response when no upstream is configured or all failed. */
    public CompletionStage<Result> resolve(Record question) {
        Message query = Message.newQuery(question);
        ResponseCache.Key key = ResponseCache.key(query);
        Message cached = cache.get(key, nanoTime.getAsLong());
        if (cached != null) {
            return CompletableFuture.completedFuture(new Result(cached, Outcome.CACHE_HIT));
        }
        UpstreamSelector current = selector;
        List<InetSocketAddress> upstreams = current.select(question.getName());
        if (upstreams.isEmpty()) {
            return CompletableFuture.completedFuture(new Result(null, Outcome.NO_UPSTREAM));
        }
        return attempt(query, upstreams, 0).thenApply(response -> {
            if (response == null) {
                return new Result(null, Outcome.FAILED);
            }
            if (selector == current) { // not an answer from upstreams replaced while it was on its way
                cache.put(key, response, nanoTime.getAsLong());
            }
            return new Result(response, Outcome.FORWARDED);
        });
    }

    /**
     * Forwards with {@code next} from now on. Cached answers are dropped: they came from the previous upstreams and
     * would otherwise outlive the change by their TTL.
     */
    public void reconfigure(UpstreamSelector next) {
        selector = next;
        cache.clear();
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
        SimpleResolver resolver = resolvers.computeIfAbsent(upstreams.get(i), this::resolver);
        return resolver.sendAsync(query).handle((response, error) -> {
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

    private SimpleResolver resolver(InetSocketAddress upstream) {
        SimpleResolver r = new SimpleResolver(upstream);
        r.setTimeout(timeout);
        r.setEDNS(0, 1232, 0, List.of());
        return r;
    }

    /** True when {@code name} is one of the names this forwarder would send upstream. */
    public boolean routes(Name name) {
        return !selector.select(name).isEmpty();
    }
}
