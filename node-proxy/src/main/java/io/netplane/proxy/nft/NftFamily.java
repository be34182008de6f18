package io.netplane.proxy.nft;

import io.netplane.api.net.IpFamily;

/** The nftables spelling of an IP family: table family, address match keyword and address type. */
public enum NftFamily {
    IP("ip", "ipv4_addr", "127.0.0.0/8"),
    IP6("ip6", "ipv6_addr", "::1");

    private final String keyword;
    private final String addrType;
    private final String loopback;

    NftFamily(String keyword, String addrType, String loopback) {
        this.keyword = keyword;
        this.addrType = addrType;
        this.loopback = loopback;
    }

    public static NftFamily of(IpFamily family) {
        return family == IpFamily.IPv4 ? IP : IP6;
    }

    /** {@code ip} or {@code ip6}: the table family and the address match keyword ({@code ip daddr}). */
    public String keyword() {
        return keyword;
    }

    public String addrType() {
        return addrType;
    }

    public String loopback() {
        return loopback;
    }
}
