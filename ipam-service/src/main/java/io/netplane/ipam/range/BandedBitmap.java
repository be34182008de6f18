package io.netplane.ipam.range;

import java.util.BitSet;
import java.util.OptionalInt;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

/**
 * A bitmap of {@code size} slots where automatic allocation starts at a random slot of the upper band
 * {@code [lowerBand, size)} and scans forward (wrapping inside that band); only when the upper band is full does it
 * scan the lower band {@code [0, lowerBand)} the same way. Thread-safe; one bit per slot.
 */
public final class BandedBitmap {
    private final int size;
    private final int lowerBand;
    private final RandomGenerator random;
    private final BitSet used;
    private int count;

    public BandedBitmap(int size, int lowerBand, RandomGenerator random) {
        if (size < 0 || lowerBand < 0 || (size > 0 && lowerBand >= size)) {
            throw new IllegalArgumentException("bad bitmap size " + size + " / lower band " + lowerBand);
        }
        this.size = size;
        this.lowerBand = lowerBand;
        this.random = random;
        this.used = new BitSet(size);
    }

    public int size() {
        return size;
    }

    public int lowerBand() {
        return lowerBand;
    }

    /** Marks {@code slot} used; false if it already was. */
    public synchronized boolean allocate(int slot) {
        check(slot);
        if (used.get(slot)) {
            return false;
        }
        used.set(slot);
        count++;
        return true;
    }

    /** Takes a free slot, preferring the upper band; empty when every slot is used. */
    public synchronized OptionalInt allocateNext() {
        if (count >= size) {
            return OptionalInt.empty();
        }
        int slot = scan(lowerBand, size);
        if (slot < 0) {
            slot = scan(0, lowerBand);
        }
        if (slot < 0) {
            return OptionalInt.empty();
        }
        used.set(slot);
        count++;
        return OptionalInt.of(slot);
    }

    /** Frees {@code slot}; false if it was not used. */
    public synchronized boolean release(int slot) {
        check(slot);
        if (!used.get(slot)) {
            return false;
        }
        used.clear(slot);
        count--;
        return true;
    }

    public synchronized boolean has(int slot) {
        return slot >= 0 && slot < size && used.get(slot);
    }

    public synchronized int used() {
        return count;
    }

    public synchronized int free() {
        return size - count;
    }

    /** A snapshot of the used slots in ascending order. */
    public synchronized int[] usedSlots() {
        return used.stream().toArray();
    }

    /** Bytes held by the bitmap itself (for the benchmark's memory figure). */
    public synchronized long bitmapBytes() {
        return (long) used.size() / 8;
    }

    /** Random start in {@code [from, to)}, then the first clear bit at or after it, wrapping once. */
    private int scan(int from, int to) {
        int width = to - from;
        if (width <= 0) {
            return -1;
        }
        int start = from + random.nextInt(width);
        int hit = used.nextClearBit(start);
        if (hit < to) {
            return hit;
        }
        hit = used.nextClearBit(from);
        return hit < start ? hit : -1;
    }

    private void check(int slot) {
        if (slot < 0 || slot >= size) {
            throw new IndexOutOfBoundsException("slot " + slot + " outside [0," + size + ")");
        }
    }

    /** Slots as a stream, for callers that map them back to values. */
    public IntStream stream() {
        return IntStream.of(usedSlots());
    }
}
