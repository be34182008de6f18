package io.netplane.api.net;

import java.math.BigInteger;

/**
 * A CIDR block. {@link #parse} accepts host bits (as Kubernetes' sloppy parser does) and masks them;
 * {@link #parseStrict} rejects them. {@link #toString()} is the canonical form.
 */
public record Cidr(IpAddress network, int prefix) {

    public Cidr {
        if (prefix < 0 || prefix > network.family().bits()) {
            throw new IllegalArgumentException("prefix length " + prefix + " out of range for " + network.family());
        }
        network = mask(network, prefix);
    }

    public static Cidr parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("empty CIDR");
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("invalid CIDR \"" + text + "\": missing /prefix");
        }
        IpAddress ip;
        try {
            ip = IpAddress.parse(text.substring(0, slash));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid CIDR \"" + text + "\": " + e.getMessage(), e);
        }
        String p = text.substring(slash + 1);
        if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || (p.length() > 1 && p.charAt(0) == '0')) {
            throw new IllegalArgumentException("invalid CIDR \"" + text + "\": prefix length is not a number");
        }
        int prefix = Integer.parseInt(p);
        if (prefix > ip.family().bits()) {
            throw new IllegalArgumentException("invalid CIDR \"" + text + "\": prefix length " + prefix
                    + " exceeds " + ip.family().bits());
        }
        return new Cidr(ip, prefix);
    }

    /** Like {@link #parse} but rejects an address with host bits set ("10.0.0.1/8"). */
    public static Cidr parseStrict(String text) {
        Cidr c = parse(text);
        IpAddress given = IpAddress.parse(text.substring(0, text.indexOf('/')));
        if (!given.equals(c.network)) {
            throw new IllegalArgumentException("invalid CIDR \"" + text + "\": host bits are set (did you mean " + c + "?)");
        }
        return c;
    }

    public static Cidr of(IpAddress ip) {
        return new Cidr(ip, ip.family().bits());
    }

    public IpFamily family() {
        return network.family();
    }

    public boolean contains(IpAddress ip) {
        return ip.family() == family() && mask(ip, prefix).equals(network);
    }

    public boolean contains(Cidr other) {
        return other.family() == family() && other.prefix >= prefix && contains(other.network);
    }

    public boolean overlaps(Cidr other) {
        return contains(other) || other.contains(this);
    }

    /** Number of addresses in the block. */
    public BigInteger size() {
        return BigInteger.ONE.shiftLeft(family().bits() - prefix);
    }

    /** The address at {@code index} from the network address. */
    public IpAddress addressAt(BigInteger index) {
        if (index.signum() < 0 || index.compareTo(size()) >= 0) {
            throw new IllegalArgumentException("index " + index + " outside " + this);
        }
        return IpAddress.fromBigInteger(family(), network.toBigInteger().add(index));
    }

    /** Offset of {@code ip} from the network address; {@code ip} must be inside. */
    public BigInteger indexOf(IpAddress ip) {
        if (!contains(ip)) {
            throw new IllegalArgumentException(ip + " is not in " + this);
        }
        return ip.toBigInteger().subtract(network.toBigInteger());
    }

    public IpAddress broadcast() {
        return addressAt(size().subtract(BigInteger.ONE));
    }

    private static IpAddress mask(IpAddress ip, int prefix) {
        int hostBits = ip.family().bits() - prefix;
        BigInteger v = ip.toBigInteger().shiftRight(hostBits).shiftLeft(hostBits);
        return IpAddress.fromBigInteger(ip.family(), v);
    }

    @Override
    public String toString() {
        return network + "/" + prefix;
    }
}
