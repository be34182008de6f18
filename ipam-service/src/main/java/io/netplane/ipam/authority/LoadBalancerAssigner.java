package io.netplane.ipam.authority;

import io.netplane.api.events.ObjectRef;
import io.netplane.api.net.IpAddress;
import io.netplane.api.net.IpFamily;
import io.netplane.ipam.pools.BlockRange;
import io.netplane.ipam.pools.PoolVerdict;
import io.netplane.ipam.range.AllocationException;
import io.netplane.ipam.records.AllocationRecord;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * LoadBalancer addresses: a Service of type LoadBalancer whose loadBalancerClass is unset or Netplane's gets one
 * address per IP family of the Service (requested ones honoured) from the first valid pool, in pool order, whose
 * selectors match it; it loses them when it is deleted or stops being such a Service.
 */
public final class LoadBalancerAssigner {
    /** The Service as LoadBalancer assignment sees it. */
    public record LbService(String type, String loadBalancerClass, List<String> ipFamilies, List<String> requestedIps,
            Map<String, String> labels, boolean deleted) {
    }

    /** The ingress addresses in family order, warnings for Events, and pools found exhausted. */
    public record Outcome(List<String> ingress, List<String> warnings, Set<String> exhaustedPools) {
    }

    private final AddressAuthority authority;
    private final String ourClass;
    private final RandomGenerator random;
    private volatile List<LoadBalancerPool> pools = List.of();

    public LoadBalancerAssigner(AddressAuthority authority, String ourClass, RandomGenerator random) {
        this.authority = authority;
        this.ourClass = ourClass;
        this.random = random;
    }

    /** Replaces the pools with the valid ones of {@code verdicts}, in order. */
    public synchronized void setPools(List<PoolVerdict> verdicts) {
        pools.forEach(p -> authority.unregister(p.name()));
        List<LoadBalancerPool> next = new ArrayList<>();
        for (PoolVerdict v : verdicts) {
            if (!v.valid()) {
                continue;
            }
            for (IpFamily f : IpFamily.values()) {
                BlockRange r = new BlockRange(f, v.blocks(), random);
                if (!r.isEmpty()) {
                    LoadBalancerPool p = new LoadBalancerPool(v, r);
                    authority.register(p);
                    next.add(p);
                }
            }
        }
        pools = List.copyOf(next);
    }

    public List<LoadBalancerPool> pools() {
        return pools;
    }

    public boolean serves(LbService s) {
        return !s.deleted() && "LoadBalancer".equals(s.type())
                && (s.loadBalancerClass() == null || ourClass.equals(s.loadBalancerClass()));
    }

    public Outcome assign(ObjectRef owner, LbService svc, Map<String, String> namespaceLabels) {
        List<AllocationRecord> held = authority.ownedBy(owner).stream()
                .filter(r -> AllocationRecord.LOAD_BALANCER_IP.equals(r.kind())).toList();
        if (!serves(svc)) {
            held.forEach(authority::release);
            return new Outcome(List.of(), List.of(), Set.of());
        }
        List<String> families = svc.ipFamilies() == null || svc.ipFamilies().isEmpty() ? List.of("IPv4")
                : svc.ipFamilies();
        List<String> ingress = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Set<String> exhausted = new LinkedHashSet<>();
        Set<String> kept = new LinkedHashSet<>();
        for (String family : families) {
            Optional<String> requested = svc.requestedIps().stream().filter(IpAddress::isValid)
                    .filter(ip -> IpAddress.parse(ip).family().name().equals(family)).map(IpAddress::canonical)
                    .findFirst();
            Optional<AllocationRecord> have = held.stream().filter(r -> family.equals(r.family()))
                    .filter(r -> requested.isEmpty() || requested.get().equals(r.value())).findFirst();
            if (have.isPresent()) {
                kept.add(have.get().name());
                ingress.add(have.get().value());
                continue;
            }
            List<LoadBalancerPool> candidates = pools.stream().filter(p -> family.equals(p.family()))
                    .filter(p -> matches(p, svc.labels(), namespaceLabels)).toList();
            if (candidates.isEmpty()) {
                warnings.add("no IPAddressPool with " + family + " addresses selects this Service");
                continue;
            }
            Optional<AllocationRecord> got = Optional.empty();
            if (requested.isPresent()) {
                Optional<LoadBalancerPool> pool = candidates.stream().filter(p -> p.contains(requested.get()))
                        .findFirst();
                if (pool.isEmpty()) {
                    warnings.add("requested " + requested.get() + " is not in any pool that selects this Service");
                    continue;
                }
                try {
                    got = Optional.of(authority.claim(pool.get(), requested.get(), AllocationRecord.LOAD_BALANCER_IP,
                            owner));
                } catch (AllocationException e) {
                    warnings.add("requested " + requested.get() + ": " + e.getMessage());
                }
            } else {
                for (LoadBalancerPool p : candidates) {
                    try {
                        got = Optional.of(authority.claim(p, null, AllocationRecord.LOAD_BALANCER_IP, owner));
                        break;
                    } catch (AllocationException e) {
                        exhausted.add(p.verdict().pool().name());
                    }
                }
                if (got.isEmpty()) {
                    warnings.add("no free " + family + " address in pools " + exhausted);
                }
            }
            got.ifPresent(r -> {
                kept.add(r.name());
                ingress.add(r.value());
            });
        }
        held.stream().filter(r -> !kept.contains(r.name())).forEach(authority::release);
        return new Outcome(ingress, warnings, exhausted);
    }

    private static boolean matches(LoadBalancerPool p, Map<String, String> labels, Map<String, String> nsLabels) {
        var def = p.verdict().pool();
        return (def.serviceSelector() == null || def.serviceSelector().matches(labels == null ? Map.of() : labels))
                && (def.namespaceSelector() == null
                        || def.namespaceSelector().matches(nsLabels == null ? Map.of() : nsLabels));
    }
}
