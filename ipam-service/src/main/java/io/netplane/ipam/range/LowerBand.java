package io.netplane.ipam.range;

import java.math.BigInteger;

/**
 * The size of the lower band of a range that automatic allocation avoids until the rest is full, so that explicitly
 * requested values (well-known ClusterIPs such as the DNS service, fixed NodePorts) rarely collide with automatic
 * ones. Upstream (KEP-3070 for Service IPs, KEP-3668 for NodePorts) uses {@code min(max(min, size / step), max)}, and
 * 0 for ranges no bigger than {@code min}.
 */
public final class LowerBand {
    private LowerBand() {
    }

    /** Service ClusterIP ranges: min 16, max 256, step 16 over the CIDR's full size (before any cap). */
    public static int forServiceCidr(BigInteger cidrSize) {
        return band(cidrSize, 16, 256, 16);
    }

    /** NodePort ranges: min 16, max 128, step 32 over the number of ports in the range. */
    public static int forPortRange(int rangeSize) {
        return band(BigInteger.valueOf(rangeSize), 16, 128, 32);
    }

    static int band(BigInteger size, int min, int max, int step) {
        if (size.compareTo(BigInteger.valueOf(min)) <= 0) {
            return 0;
        }
        BigInteger offset = size.divide(BigInteger.valueOf(step));
        if (offset.compareTo(BigInteger.valueOf(min)) < 0) {
            return min;
        }
        if (offset.compareTo(BigInteger.valueOf(max)) > 0) {
            return max;
        }
        return offset.intValueExact();
    }
}
