package io.netplane.ipam.pools;

import io.netplane.api.net.IpAddress;
import io.netplane.api.net.IpFamily;
import io.netplane.ipam.range.BandedBitmap;
import java.util.List;
import java.util.OptionalInt;
import java.util.random.RandomGenerator;

/**
 * An allocator over the blocks of one family of a pool, all addresses usable (LoadBalancer pools hand out what the
 * operator listed), no lower band: the first free address in a random scan.
 */
public final class BlockRange {
    private final IpFamily family;
    private final List<AddressBlock> blocks;
    private final long[] starts;
    private final BandedBitmap bitmap;

    public BlockRange(IpFamily family, List<AddressBlock> blocks, RandomGenerator random) {
        this.family = family;
        this.blocks = blocks.stream().filter(b -> b.family() == family).toList();
        this.starts = new long[this.blocks.size()];
        long total = 0;
        for (int i = 0; i < this.blocks.size(); i++) {
            starts[i] = total;
            total += this.blocks.get(i).size().longValueExact();
        }
        this.bitmap = new BandedBitmap(Math.toIntExact(total), 0, random);
    }

    public IpFamily family() {
        return family;
    }

    public boolean isEmpty() {
        return bitmap.size() == 0;
    }

    public int size() {
        return bitmap.size();
    }

    public int used() {
        return bitmap.used();
    }

    public int slotOf(IpAddress ip) {
        for (int i = 0; i < blocks.size(); i++) {
            if (blocks.get(i).contains(ip)) {
                return (int) (starts[i] + ip.toBigInteger().subtract(blocks.get(i).first().toBigInteger())
                        .longValueExact());
            }
        }
        return -1;
    }

    public IpAddress addressOf(int slot) {
        for (int i = blocks.size() - 1; i >= 0; i--) {
            if (slot >= starts[i]) {
                return blocks.get(i).first().plus(slot - starts[i]);
            }
        }
        throw new IndexOutOfBoundsException(slot);
    }

    public boolean allocate(IpAddress ip) {
        int slot = slotOf(ip);
        return slot >= 0 && bitmap.allocate(slot);
    }

    public OptionalInt allocateNext() {
        return bitmap.allocateNext();
    }

    public boolean release(IpAddress ip) {
        int slot = slotOf(ip);
        return slot >= 0 && bitmap.release(slot);
    }

    @Override
    public String toString() {
        return String.join(",", blocks.stream().map(AddressBlock::toString).toList());
    }
}
