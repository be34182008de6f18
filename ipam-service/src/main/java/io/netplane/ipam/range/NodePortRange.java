package io.netplane.ipam.range;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The NodePort allocator: one pool for all protocols (as upstream, a node port taken by TCP is taken for UDP and SCTP
 * too), the lower band ({@link LowerBand#forPortRange}) kept for explicitly requested ports.
 */
public final class NodePortRange {
    private final PortRange range;
    private final BandedBitmap bitmap;

    public NodePortRange(PortRange range, RandomGenerator random) {
        this.range = range;
        this.bitmap = new BandedBitmap(range.size(), LowerBand.forPortRange(range.size()), random);
    }

    public PortRange range() {
        return range;
    }

    public void allocate(int port) {
        if (!range.contains(port)) {
            throw AllocationException.portNotInRange(range.toString());
        }
        if (!bitmap.allocate(port - range.base())) {
            throw AllocationException.allocated("port");
        }
    }

    public int allocateNext() {
        return range.base() + bitmap.allocateNext().orElseThrow(() -> AllocationException.full(range.toString()));
    }

    public boolean release(int port) {
        return range.contains(port) && bitmap.release(port - range.base());
    }

    public boolean has(int port) {
        return range.contains(port) && bitmap.has(port - range.base());
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

    /** The last port of the lower band, or {@code base-1} when there is none. */
    public int lowerBandEnd() {
        return range.base() + bitmap.lowerBand() - 1;
    }

    public List<Integer> allocated() {
        return bitmap.stream().map(s -> s + range.base()).boxed().toList();
    }
}
