package io.netplane.ipam.range;

import io.netplane.api.net.Cidr;
import io.netplane.api.net.IpAddress;
import io.netplane.api.net.IpFamily;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The ClusterIP allocator of one IP family over one service CIDR, with kube-apiserver's rules: the network address
 * is never handed out; for IPv4 neither is the broadcast address; IPv6 ranges are capped at 2^16 addresses (the
 * first 65536 of the CIDR, network address included); the lower band ({@link LowerBand#forServiceCidr}, computed
 * over the whole CIDR) is used by automatic allocation only once the rest is full.
 */
public final class ServiceIpRange {
    /** Upstream's cap on the size of a (IPv6) range, since the allocator keeps one bit per address. */
    public static final int MAX_RANGE_SIZE = 1 << 16;

    private final Cidr cidr;
    private final IpAddress base;
    private final BandedBitmap bitmap;

    public ServiceIpRange(Cidr cidr, RandomGenerator random) {
        this.cidr = cidr;
        BigInteger total = cidr.size();
        long usable;
        if (cidr.family() == IpFamily.IPv6) {
            usable = total.min(BigInteger.valueOf(MAX_RANGE_SIZE)).longValueExact();
        } else {
            usable = total.longValueExact() - 1; // broadcast
        }
        usable = Math.max(0, usable - 1); // network address
        if (usable > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("service CIDR " + cidr + " is too large");
        }
        int size = (int) usable;
        int band = size == 0 ? 0 : Math.min(LowerBand.forServiceCidr(total), size - 1);
        this.base = cidr.prefix() == cidr.family().bits() ? cidr.network() : cidr.network().plus(1);
        this.bitmap = new BandedBitmap(size, Math.max(0, band), random);
    }

    public Cidr cidr() {
        return cidr;
    }

    public IpFamily family() {
        return cidr.family();
    }

    /** Reserves {@code ip}; throws NOT_IN_RANGE or ALREADY_ALLOCATED. */
    public void allocate(IpAddress ip) {
        int slot = slotOf(ip).orElseThrow(() -> AllocationException.ipNotInRange(ip, cidr.toString()));
        if (!bitmap.allocate(slot)) {
            throw AllocationException.allocated("IP");
        }
    }

    /** Reserves an address automatically (upper band first); throws FULL. */
    public IpAddress allocateNext() {
        int slot = bitmap.allocateNext().orElseThrow(() -> AllocationException.full(cidr.toString()));
        return addressOf(slot);
    }

    /** Frees {@code ip}; releasing a free or out-of-range address is a no-op that returns false. */
    public boolean release(IpAddress ip) {
        return slotOf(ip).map(bitmap::release).orElse(false);
    }

    public boolean has(IpAddress ip) {
        return slotOf(ip).map(bitmap::has).orElse(false);
    }

    /** True when {@code ip} is an address this range can hand out. */
    public boolean inRange(IpAddress ip) {
        return slotOf(ip).isPresent();
    }

    public int size() {
        return bitmap.size();
    }

    public int used() {
        return bitmap.used();
    }

    public int free() {
        return bitmap.free();
    }

    /** The lower band's first and last address, or empty when the range has no band. */
    public Optional<List<IpAddress>> lowerBand() {
        return bitmap.lowerBand() == 0 ? Optional.empty()
                : Optional.of(List.of(addressOf(0), addressOf(bitmap.lowerBand() - 1)));
    }

    public List<IpAddress> allocated() {
        return bitmap.stream().mapToObj(this::addressOf).toList();
    }

    public long bitmapBytes() {
        return bitmap.bitmapBytes();
    }

    /** {@code base + slot} in 128-bit arithmetic on the two longs (no BigInteger on the hot path). */
    private IpAddress addressOf(int slot) {
        long lo = base.lo() + slot;
        long hi = base.hi() + (Long.compareUnsigned(lo, base.lo()) < 0 ? 1 : 0);
        return new IpAddress(base.family(), hi, lo);
    }

    private Optional<Integer> slotOf(IpAddress ip) {
        if (ip.family() != base.family() || ip.compareTo(base) < 0) {
            return Optional.empty();
        }
        long lo = ip.lo() - base.lo();
        long hi = ip.hi() - base.hi() - (Long.compareUnsigned(ip.lo(), base.lo()) < 0 ? 1 : 0);
        if (hi != 0 || Long.compareUnsigned(lo, bitmap.size()) >= 0) {
            return Optional.empty();
        }
        return Optional.of((int) lo);
    }
}
