package io.netplane.ipam.authority;

import io.netplane.api.net.Cidr;
import io.netplane.ipam.pools.PodCidrRange;
import io.netplane.ipam.range.AllocationException;
import io.netplane.ipam.records.AllocationNames;
import io.netplane.ipam.records.AllocationRecord;

/** A cluster CIDR cut into node subnets as a {@link Pool}; values are CIDRs. */
public final class PodCidrPool implements Pool {
    private final PodCidrRange range;

    public PodCidrPool(PodCidrRange range) {
        this.range = range;
    }

    @Override
    public String name() {
        return AllocationNames.podCidrPool(range.cluster().family().name());
    }

    @Override
    public String kind() {
        return AllocationRecord.POD_CIDR;
    }

    @Override
    public String family() {
        return range.cluster().family().name();
    }

    @Override
    public String range() {
        return range.cluster() + " /" + range.mask();
    }

    @Override
    public long size() {
        return range.size();
    }

    @Override
    public long used() {
        return range.used();
    }

    @Override
    public boolean contains(String value) {
        try {
            return value != null && value.contains("/") && range.slotOf(Cidr.parseStrict(value)).isPresent();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public String recordName(String value) {
        return AllocationNames.podCidr(Cidr.parse(value));
    }

    @Override
    public String allocate(String value) {
        if (value == null) {
            return range.allocateNext().orElseThrow(() -> new AllocationException(AllocationException.Reason.FULL,
                    "no free /" + range.mask() + " left in " + range.cluster())).toString();
        }
        if (!contains(value)) {
            throw new AllocationException(AllocationException.Reason.NOT_IN_RANGE,
                    value + " is not a /" + range.mask() + " of " + range.cluster());
        }
        Cidr c = Cidr.parseStrict(value);
        if (!range.allocate(c)) {
            throw new AllocationException(AllocationException.Reason.ALREADY_ALLOCATED, value + " is already allocated");
        }
        return c.toString();
    }

    @Override
    public boolean mark(String value) {
        return contains(value) && range.allocate(Cidr.parseStrict(value));
    }

    @Override
    public boolean release(String value) {
        return contains(value) && range.release(Cidr.parseStrict(value));
    }
}
