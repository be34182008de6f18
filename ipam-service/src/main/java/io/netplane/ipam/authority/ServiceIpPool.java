package io.netplane.ipam.authority;

import io.netplane.api.net.IpAddress;
import io.netplane.ipam.records.AllocationNames;
import io.netplane.ipam.records.AllocationRecord;
import io.netplane.ipam.range.AllocationException;
import io.netplane.ipam.range.ServiceIpRanges;

/** A family's Service CIDRs as a {@link Pool}: the same bitmaps the Service admission allocates from. */
final class ServiceIpPool implements Pool {
    private final ServiceIpRanges range;

    ServiceIpPool(ServiceIpRanges range) {
        this.range = range;
    }

    @Override
    public String name() {
        return AllocationNames.serviceRangePool(range.family().name());
    }

    @Override
    public String kind() {
        return AllocationRecord.CLUSTER_IP;
    }

    @Override
    public String family() {
        return range.family().name();
    }

    @Override
    public String range() {
        return String.join(",", range.cidrs().stream().map(Object::toString).toList());
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
        return IpAddress.isValid(value) && range.inRange(IpAddress.parse(value));
    }

    @Override
    public String recordName(String value) {
        return AllocationNames.address(IpAddress.parse(value));
    }

    @Override
    public String allocate(String value) {
        if (value == null) {
            return range.allocateNext().toString();
        }
        IpAddress ip = parse(value);
        range.allocate(ip);
        return ip.toString();
    }

    @Override
    public boolean mark(String value) {
        if (!contains(value) || range.has(IpAddress.parse(value))) {
            return false;
        }
        try {
            range.allocate(IpAddress.parse(value));
            return true;
        } catch (AllocationException e) {
            return false;
        }
    }

    @Override
    public boolean release(String value) {
        return IpAddress.isValid(value) && range.release(IpAddress.parse(value));
    }

    static IpAddress parse(String value) {
        try {
            return IpAddress.parse(value);
        } catch (IllegalArgumentException e) {
            throw new AllocationException(AllocationException.Reason.NOT_IN_RANGE, e.getMessage());
        }
    }
}
