package io.netplane.ipam.range;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netplane.api.net.Cidr;
import io.netplane.api.net.IpAddress;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The per-family Service IP allocator against kube-apiserver's ipallocator rules. */
class ServiceIpRangeTest {

    static ServiceIpRange range(String cidr) {
        return new ServiceIpRange(Cidr.parse(cidr), new Random(7));
    }

    @ParameterizedTest(name = "{0}: {1} usable, {2}..{3}, lower band ends at {4}")
    @CsvSource({
            // IPv4: network and broadcast addresses excluded
            "10.0.0.0/24,    254,   10.0.0.1,     10.0.0.254,    10.0.0.16",
            "10.0.0.0/30,    2,     10.0.0.1,     10.0.0.2,      -",
            "10.0.0.0/28,    14,    10.0.0.1,     10.0.0.14,     -",
            "10.96.0.0/12,   1048574, 10.96.0.1,  10.111.255.254, 10.96.1.0",
            // IPv6: network address excluded, no broadcast; capped at the first 2^16 addresses
            "2001:db8::/120, 255,   2001:db8::1,  2001:db8::ff,  2001:db8::10",
            "2001:db8::/112, 65535, 2001:db8::1,  2001:db8::ffff, 2001:db8::100",
            "2001:db8::/64,  65535, 2001:db8::1,  2001:db8::ffff, 2001:db8::100",
            "fd00::/108,     65535, fd00::1,      fd00::ffff,    fd00::100",
    })
    void usableAddresses(String cidr, int size, String first, String last, String bandEnd) {
        ServiceIpRange r = range(cidr);
        assertThat(r.size()).isEqualTo(size);
        assertThat(r.inRange(IpAddress.parse(first))).isTrue();
        assertThat(r.inRange(IpAddress.parse(last))).isTrue();
        assertThat(r.inRange(IpAddress.parse(first).plus(-1))).as("network address").isFalse();
        assertThat(r.inRange(IpAddress.parse(last).plus(1))).as("broadcast / beyond the cap").isFalse();
        if ("-".equals(bandEnd)) {
            assertThat(r.lowerBand()).isEmpty();
        } else {
            assertThat(r.lowerBand().orElseThrow()).containsExactly(IpAddress.parse(first), IpAddress.parse(bandEnd));
        }
    }

    @ParameterizedTest(name = "{0} rejects {1}: {2}")
    @CsvSource({
            "10.0.0.0/24, 10.0.0.0,       NOT_IN_RANGE",
            "10.0.0.0/24, 10.0.0.255,     NOT_IN_RANGE",
            "10.0.0.0/24, 10.0.1.1,       NOT_IN_RANGE",
            "10.0.0.0/24, 2001:db8::1,    NOT_IN_RANGE",
            "2001:db8::/64, 2001:db8::,   NOT_IN_RANGE",
            "2001:db8::/64, 2001:db8::1:0, NOT_IN_RANGE",
    })
    void requestedOutsideRange(String cidr, String ip, AllocationException.Reason reason) {
        ServiceIpRange r = range(cidr);
        assertThatThrownBy(() -> r.allocate(IpAddress.parse(ip)))
                .isInstanceOfSatisfying(AllocationException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining("is not in the valid range. The range of valid IPs is " + cidr);
        assertThat(r.used()).isZero();
    }

    @Test
    void requestedTwiceIsAlreadyAllocatedAndReleaseMakesItReusable() {
        ServiceIpRange r = range("10.0.0.0/24");
        r.allocate(IpAddress.parse("10.0.0.10"));
        assertThatThrownBy(() -> r.allocate(IpAddress.parse("10.0.0.10")))
                .isInstanceOfSatisfying(AllocationException.class,
                        e -> assertThat(e.reason()).isEqualTo(AllocationException.Reason.ALREADY_ALLOCATED))
                .hasMessage("provided IP is already allocated");
        assertThat(r.release(IpAddress.parse("10.0.0.10"))).isTrue();
        assertThat(r.release(IpAddress.parse("10.0.0.10"))).as("second release is a no-op").isFalse();
        assertThat(r.release(IpAddress.parse("192.168.0.1"))).as("out of range release is a no-op").isFalse();
        r.allocate(IpAddress.parse("10.0.0.10"));
        assertThat(r.used()).isEqualTo(1);
    }

    @Test
    void automaticAllocationFillsTheUpperBandBeforeTheLowerBandThenIsFull() {
        ServiceIpRange r = range("10.0.0.0/24"); // 254 usable, lower band .1-.16
        Set<IpAddress> seen = new HashSet<>();
        for (int i = 0; i < 254 - 16; i++) {
            IpAddress ip = r.allocateNext();
            assertThat(ip.toBigInteger().intValue() & 0xff).as("upper band").isBetween(17, 254);
            assertThat(seen.add(ip)).isTrue();
        }
        for (int i = 0; i < 16; i++) {
            IpAddress ip = r.allocateNext();
            assertThat(ip.toBigInteger().intValue() & 0xff).as("lower band once the upper is full").isBetween(1, 16);
            assertThat(seen.add(ip)).isTrue();
        }
        assertThat(r.free()).isZero();
        assertThatThrownBy(r::allocateNext)
                .isInstanceOfSatisfying(AllocationException.class,
                        e -> assertThat(e.reason()).isEqualTo(AllocationException.Reason.FULL));
        r.release(IpAddress.parse("10.0.0.200"));
        assertThat(r.allocateNext()).isEqualTo(IpAddress.parse("10.0.0.200"));
    }

    @Test
    void automaticAllocationSkipsRequestedAddresses() {
        ServiceIpRange r = range("10.0.0.0/29"); // .1-.6, no band
        r.allocate(IpAddress.parse("10.0.0.3"));
        Set<IpAddress> got = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            got.add(r.allocateNext());
        }
        assertThat(got).hasSize(5).doesNotContain(IpAddress.parse("10.0.0.3"));
        assertThat(r.allocated()).hasSize(6);
    }

    @Test
    void singleAddressCidrsHaveNothingToHandOut() {
        assertThat(range("10.0.0.1/32").size()).isZero();
        assertThat(range("10.0.0.0/31").size()).isZero();
        assertThatThrownBy(range("2001:db8::1/128")::allocateNext).isInstanceOf(AllocationException.class);
    }
}
