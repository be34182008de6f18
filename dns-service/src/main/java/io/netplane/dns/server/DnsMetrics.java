package io.netplane.dns.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * The server's meters, named after CoreDNS's: requests by protocol and type, responses by rcode, a request
 * duration histogram, cache hits and misses, forwards by outcome, packets dropped and queries refused by reason.
 */
@ApplicationScoped
public class DnsMetrics {
    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Timer duration;

    public DnsMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.duration = Timer.builder("netplane.dns.request.duration").description("Time to answer a query")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(10_000))
                .maximumExpectedValue(Duration.ofSeconds(5)).register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void request(String proto, int qtype) {
        counter("netplane.dns.requests", "proto", proto, "type", Type.string(qtype)).increment();
    }

    public void response(int rcode, long startNanos, long endNanos) {
        counter("netplane.dns.responses", "rcode", Rcode.string(rcode), null, null).increment();
        duration.record(Duration.ofNanos(endNanos - startNanos));
    }

    public void cache(boolean hit) {
        counter(hit ? "netplane.dns.cache.hits" : "netplane.dns.cache.misses", null, null, null, null).increment();
    }

    public void forward(String outcome) {
        counter("netplane.dns.forwards", "outcome", outcome, null, null).increment();
    }

    /** A query answered REFUSED before any lookup (client not allowed). */
    public void refused(String reason) {
        counter("netplane.dns.refused", "reason", reason, null, null).increment();
    }

    public void dropped(String reason) {
        counter("netplane.dns.dropped", "reason", reason, null, null).increment();
    }

    private Counter counter(String name, String k1, String v1, String k2, String v2) {
        String id = name + '|' + v1 + '|' + v2;
        return counters.computeIfAbsent(id, x -> {
            Counter.Builder b = Counter.builder(name);
            if (k1 != null) {
                b.tag(k1, v1);
            }
            if (k2 != null) {
                b.tag(k2, v2);
            }
            return b.register(registry);
        });
    }
}
