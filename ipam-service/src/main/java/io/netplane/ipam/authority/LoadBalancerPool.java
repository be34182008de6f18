package io.netplane.ipam.authority;

import io.netplane.api.net.IpAddress;
import io.netplane.ipam.pools.BlockRange;
import io.netplane.ipam.pools.PoolVerdict;
import io.netplane.ipam.range.AllocationException;
import io.netplane.ipam.records.AllocationNames;
import io.netplane.ipam.records.AllocationRecord;

/** One family of a valid IPAddressPool as a {@link Pool}, named {@code <pool>/<family>}. */
public final class LoadBalancerPool implements Pool {
    private final PoolVerdict verdict;
    private final BlockRange range;

    public LoadBalancerPool(PoolVerdict verdict, BlockRange range) {
        this.verdict = verdict;
        this.range = range;
    }

    public static String name(String pool, String family) {
        return pool + "/" + family;
    }

    public PoolVerdict verdict() {
        return verdict;
    }

    @Override
    public String name() {
        return name(verdict.pool().name(), range.family().name());
    }

    @Override
    public String kind() {
        return AllocationRecord.LOAD_BALANCER_IP;
    }

    @Override
    public String family() {
        return range.family().name();
    }

    @Override
    public String range() {
        return range.toString();
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
        return IpAddress.isValid(value) && range.slotOf(IpAddress.parse(value)) >= 0;
    }

    @Override
    public String recordName(String value) {
        return AllocationNames.address(IpAddress.parse(value));
    }

    @Override
    public String allocate(String value) {
        if (value == null) {
            int slot = range.allocateNext().orElseThrow(() -> new AllocationException(
                    AllocationException.Reason.FULL, "pool " + name() + " is exhausted"));
            return range.addressOf(slot).toString();
        }
        IpAddress ip = ServiceIpPool.parse(value);
        if (range.slotOf(ip) < 0) {
            throw new AllocationException(AllocationException.Reason.NOT_IN_RANGE, value + " is not in pool " + name());
        }
        if (!range.allocate(ip)) {
            throw new AllocationException(AllocationException.Reason.ALREADY_ALLOCATED,
                    "provided IP is already allocated");
        }
        return ip.toString();
    }

    @Override
    public boolean mark(String value) {
        return contains(value) && range.allocate(IpAddress.parse(value));
    }

    @Override
    public boolean release(String value) {
        return IpAddress.isValid(value) && range.release(IpAddress.parse(value));
    }
}
