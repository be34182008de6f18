package io.netplane.ipam.pools;

import io.netplane.api.net.Cidr;
import io.netplane.api.net.IpAddress;
import io.netplane.ipam.range.BandedBitmap;
import java.math.BigInteger;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The node IPAM range of one family: a cluster CIDR cut into subnets of the node mask size (default /24 for IPv4,
 * /64 for IPv6). As upstream's cidrset, the node mask may be at most 16 bits longer than the cluster prefix (65536
 * subnets); the first free subnet is taken in a random scan.
 */
public final class PodCidrRange {
    public static final int MAX_MASK_DIFFERENCE = 16;
    private final Cidr cluster;
    private final int mask;
    private final BandedBitmap bitmap;

    public PodCidrRange(Cidr cluster, int mask, RandomGenerator random) {
        if (mask < cluster.prefix() || mask > cluster.family().bits()) {
            throw new IllegalArgumentException("node mask /" + mask + " does not fit cluster CIDR " + cluster);
        }
        if (mask - cluster.prefix() > MAX_MASK_DIFFERENCE) {
            throw new IllegalArgumentException("node mask /" + mask + " is more than " + MAX_MASK_DIFFERENCE
                    + " bits longer than cluster CIDR " + cluster + " (the node CIDR size is too big)");
        }
        this.cluster = cluster;
        this.mask = mask;
        this.bitmap = new BandedBitmap(1 << (mask - cluster.prefix()), 0, random);
    }

    public Cidr cluster() {
        return cluster;
    }

    public int mask() {
        return mask;
    }

    public int size() {
        return bitmap.size();
    }

    public int used() {
        return bitmap.used();
    }

    public Optional<Integer> slotOf(Cidr subnet) {
        if (subnet.prefix() != mask || !cluster.contains(subnet)) {
            return Optional.empty();
        }
        BigInteger idx = cluster.indexOf(subnet.network()).shiftRight(cluster.family().bits() - mask);
        return idx.compareTo(BigInteger.valueOf(bitmap.size())) < 0 ? Optional.of(idx.intValueExact())
                : Optional.empty();
    }

    public Cidr subnetAt(int slot) {
        BigInteger offset = BigInteger.valueOf(slot).shiftLeft(cluster.family().bits() - mask);
        IpAddress net = cluster.addressAt(offset);
        return new Cidr(net, mask);
    }

    public boolean allocate(Cidr subnet) {
        return slotOf(subnet).map(bitmap::allocate).orElse(false);
    }

    public Optional<Cidr> allocateNext() {
        var slot = bitmap.allocateNext();
        return slot.isPresent() ? Optional.of(subnetAt(slot.getAsInt())) : Optional.empty();
    }

    public boolean release(Cidr subnet) {
        return slotOf(subnet).map(bitmap::release).orElse(false);
    }
}
