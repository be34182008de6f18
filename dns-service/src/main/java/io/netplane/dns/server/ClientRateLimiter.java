package io.netplane.dns.server;

import java.net.InetAddress;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per client address, so that one client's flood is dropped before it costs parsing and does not
 * starve the others. Time comes in as a nanosecond reading; idle buckets are swept so spoofed sources cannot
 * grow the table without bound.
 */
public final class ClientRateLimiter {
    private static final int MAX_CLIENTS = 100_000;

    private final double ratePerNano;
    private final double burst;
    private final Map<InetAddress, Bucket> buckets = new ConcurrentHashMap<>();

    /** @param perSecond sustained queries per second per client; burst is twice that; 0 admits everything */
    public ClientRateLimiter(int perSecond) {
        this.ratePerNano = perSecond / 1e9;
        this.burst = 2.0 * perSecond;
    }

    public boolean admit(InetAddress client, long nowNanos) {
        if (ratePerNano == 0) {
            return true;
        }
        if (buckets.size() > MAX_CLIENTS) {
            sweep(nowNanos);
        }
        Bucket b = buckets.computeIfAbsent(client, c -> new Bucket(burst, nowNanos));
        synchronized (b) {
            b.tokens = Math.min(burst, b.tokens + (nowNanos - b.last) * ratePerNano);
            b.last = nowNanos;
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return true;
            }
            return false;
        }
    }

    private void sweep(long nowNanos) {
        long fullAfter = (long) (burst / ratePerNano);
        for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext();) {
            if (nowNanos - it.next().last > fullAfter) {
                it.remove();
            }
        }
    }

    private static final class Bucket {
        double tokens;
        long last;

        Bucket(double tokens, long last) {
            this.tokens = tokens;
            this.last = last;
        }
    }
}
