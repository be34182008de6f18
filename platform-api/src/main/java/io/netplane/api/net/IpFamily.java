package io.netplane.api.net;

/** The two IP families Kubernetes knows, spelled as the API spells them ({@code IPv4}, {@code IPv6}). */
public enum IpFamily {
    IPv4(32),
    IPv6(128);

    private final int bits;

    IpFamily(int bits) {
        this.bits = bits;
    }

    /** Address length in bits. */
    public int bits() {
        return bits;
    }

    /** Parses the API spelling; anything else is an error, never a default. */
    public static IpFamily parse(String text) {
        for (IpFamily f : values()) {
            if (f.name().equals(text)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unsupported IP family \"" + text + "\": must be IPv4 or IPv6");
    }
}
