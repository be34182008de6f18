package io.netplane.ipam.range;

import io.netplane.api.net.Cidr;
import io.netplane.api.net.IpAddress;
import io.netplane.api.net.IpFamily;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The ClusterIP ranges of one IP family: the configured service CIDR (the API server's
 * {@code --service-cluster-ip-range}, the default ServiceCIDR) first, then the CIDRs of further
 * {@code networking.k8s.io/v1} ServiceCIDR objects. A requested address is taken from whichever range holds it;
 * automatic allocation uses the configured range and moves to the others only when it is full, as the API server's
 * multi-CIDR allocator does once its default range is exhausted.
 */
public final class ServiceIpRanges {
    private final ServiceIpRange primary;
    private final RandomGenerator random;
    private final Map<Cidr, ServiceIpRange> extra = new LinkedHashMap<>();

    public ServiceIpRanges(ServiceIpRange primary, RandomGenerator random) {
        this.primary = primary;
        this.random = random;
    }

    public ServiceIpRange primary() {
        return primary;
    }

    public IpFamily family() {
        return primary.family();
    }

    /**
     * Sets the further CIDRs of this family (those of ServiceCIDR objects; the configured one and other families are
     * ignored). A CIDR kept keeps its allocations; a CIDR dropped takes its allocations with it.
     */
    public synchronized void further(List<Cidr> cidrs) {
        Map<Cidr, ServiceIpRange> next = new LinkedHashMap<>();
        for (Cidr c : cidrs) {
            if (c.family() == family() && !c.equals(primary.cidr()) && !next.containsKey(c)) {
                ServiceIpRange kept = extra.get(c);
                next.put(c, kept != null ? kept : new ServiceIpRange(c, random));
            }
        }
        extra.clear();
        extra.putAll(next);
    }

    public synchronized List<Cidr> cidrs() {
        List<Cidr> all = new ArrayList<>();
        all.add(primary.cidr());
        all.addAll(extra.keySet());
        return all;
    }

    /** Reserves {@code ip} in the range that holds it; throws NOT_IN_RANGE or ALREADY_ALLOCATED. */
    public synchronized void allocate(IpAddress ip) {
        holder(ip).orElseThrow(() -> AllocationException.ipNotInRange(ip, describe())).allocate(ip);
    }

    /** Reserves an address automatically, the configured range first; throws FULL when every range is. */
    public synchronized IpAddress allocateNext() {
        for (ServiceIpRange r : all()) {
            if (r.free() > 0) {
                return r.allocateNext();
            }
        }
        throw AllocationException.full(describe());
    }

    public synchronized boolean release(IpAddress ip) {
        return holder(ip).map(r -> r.release(ip)).orElse(false);
    }

    public synchronized boolean has(IpAddress ip) {
        return holder(ip).map(r -> r.has(ip)).orElse(false);
    }

    public synchronized boolean inRange(IpAddress ip) {
        return holder(ip).isPresent();
    }

    public synchronized long size() {
        return all().stream().mapToLong(ServiceIpRange::size).sum();
    }

    public synchronized long used() {
        return all().stream().mapToLong(ServiceIpRange::used).sum();
    }

    private Optional<ServiceIpRange> holder(IpAddress ip) {
        return all().stream().filter(r -> r.inRange(ip)).findFirst();
    }

    private List<ServiceIpRange> all() {
        List<ServiceIpRange> all = new ArrayList<>(extra.size() + 1);
        all.add(primary);
        all.addAll(extra.values());
        return all;
    }

    private String describe() {
        return String.join(", ", cidrs().stream().map(Cidr::toString).toList());
    }
}
