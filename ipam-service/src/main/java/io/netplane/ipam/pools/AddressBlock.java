package io.netplane.ipam.pools;

import io.netplane.api.net.Cidr;
import io.netplane.api.net.IpAddress;
import io.netplane.api.net.IpFamily;
import java.math.BigInteger;

/** An inclusive run of addresses of one family, from a CIDR ({@code 192.0.2.0/28}) or a range ({@code a-b}). */
public record AddressBlock(IpAddress first, IpAddress last) {
    public AddressBlock {
        if (first.family() != last.family()) {
            throw new IllegalArgumentException("range mixes IPv4 and IPv6");
        }
        if (first.compareTo(last) > 0) {
            throw new IllegalArgumentException("range end " + last + " is before its start " + first);
        }
    }

    /** Parses one {@code spec.addresses} entry; the message says what is wrong. */
    public static AddressBlock parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty entry");
        }
        String t = text.strip();
        int dash = t.indexOf('-');
        if (dash > 0) {
            return new AddressBlock(IpAddress.parse(t.substring(0, dash).strip()),
                    IpAddress.parse(t.substring(dash + 1).strip()));
        }
        Cidr c = Cidr.parseStrict(t);
        return new AddressBlock(c.network(), c.broadcast());
    }

    public IpFamily family() {
        return first.family();
    }

    public BigInteger size() {
        return last.toBigInteger().subtract(first.toBigInteger()).add(BigInteger.ONE);
    }

    public boolean contains(IpAddress ip) {
        return ip.family() == family() && first.compareTo(ip) <= 0 && ip.compareTo(last) <= 0;
    }

    public boolean overlaps(AddressBlock o) {
        return o.family() == family() && first.compareTo(o.last) <= 0 && o.first.compareTo(last) <= 0;
    }

    public static AddressBlock of(Cidr c) {
        return new AddressBlock(c.network(), c.broadcast());
    }

    @Override
    public String toString() {
        return first + "-" + last;
    }
}
