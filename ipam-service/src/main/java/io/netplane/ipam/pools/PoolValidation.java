package io.netplane.ipam.pools;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Validates LoadBalancer pools together: every entry must parse, entries of one pool must not overlap, no pool may
 * overlap a reserved range (Service or cluster CIDRs) or an older valid pool (creation time, then name, decides), and
 * a pool may hold at most {@link #MAX_ADDRESSES} addresses (one bit each in memory). An invalid pool allocates nothing.
 */
public final class PoolValidation {
    public static final BigInteger MAX_ADDRESSES = BigInteger.ONE.shiftLeft(20);

    private PoolValidation() {
    }

    public static List<PoolVerdict> validate(List<PoolDefinition> pools, List<AddressBlock> reserved) {
        List<PoolDefinition> ordered = new ArrayList<>(pools);
        ordered.sort(Comparator.comparing((PoolDefinition p) -> p.createdAt() == null ? "" : p.createdAt())
                .thenComparing(PoolDefinition::name));
        List<PoolVerdict> out = new ArrayList<>();
        List<PoolVerdict> accepted = new ArrayList<>();
        for (PoolDefinition p : ordered) {
            PoolVerdict v = one(p, reserved, accepted);
            out.add(v);
            if (v.valid()) {
                accepted.add(v);
            }
        }
        return out;
    }

    private static PoolVerdict one(PoolDefinition p, List<AddressBlock> reserved, List<PoolVerdict> accepted) {
        if (p.selectorError() != null) {
            return invalid(p, "InvalidSelector", p.selectorError());
        }
        for (var sel : java.util.Arrays.asList(p.serviceSelector(), p.namespaceSelector())) {
            if (sel != null && !sel.validate().isEmpty()) {
                return invalid(p, "InvalidSelector", String.join("; ", sel.validate()));
            }
        }
        if (p.addresses().isEmpty()) {
            return invalid(p, "NoAddresses", "spec.addresses: Required value: at least one CIDR or range");
        }
        List<AddressBlock> blocks = new ArrayList<>();
        BigInteger total = BigInteger.ZERO;
        for (int i = 0; i < p.addresses().size(); i++) {
            AddressBlock b;
            try {
                b = AddressBlock.parse(p.addresses().get(i));
            } catch (IllegalArgumentException e) {
                return invalid(p, "InvalidAddresses", "spec.addresses[" + i + "]: Invalid value: \""
                        + p.addresses().get(i) + "\": " + e.getMessage());
            }
            for (AddressBlock seen : blocks) {
                if (seen.overlaps(b)) {
                    return invalid(p, "OverlappingAddresses", "spec.addresses[" + i + "]: " + b
                            + " overlaps " + seen + " of the same pool");
                }
            }
            for (AddressBlock r : reserved) {
                if (r.overlaps(b)) {
                    return invalid(p, "OverlapsReservedRange", "spec.addresses[" + i + "]: " + b
                            + " overlaps the cluster's Service or pod range " + r);
                }
            }
            for (PoolVerdict other : accepted) {
                for (AddressBlock ob : other.blocks()) {
                    if (ob.overlaps(b)) {
                        return invalid(p, "OverlapsPool", "spec.addresses[" + i + "]: " + b + " overlaps pool "
                                + other.pool().name());
                    }
                }
            }
            blocks.add(b);
            total = total.add(b.size());
        }
        if (total.compareTo(MAX_ADDRESSES) > 0) {
            return invalid(p, "TooLarge", "spec.addresses: " + total + " addresses, at most " + MAX_ADDRESSES);
        }
        return new PoolVerdict(p, List.copyOf(blocks), null, null);
    }

    private static PoolVerdict invalid(PoolDefinition p, String reason, String message) {
        return new PoolVerdict(p, List.of(), reason, message);
    }
}
