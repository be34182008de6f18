package io.netplane.api.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "10.96.0.1,          10.96.0.1,        IPv4",
        "0.0.0.0,            0.0.0.0,          IPv4",
        "255.255.255.255,    255.255.255.255,  IPv4",
        "2001:db8::1,        2001:db8::1,      IPv6",
        "2001:DB8:0:0:0:0:0:1, 2001:db8::1,    IPv6",
        "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1, IPv6",
        "::,                 ::,               IPv6",
        "::1,                ::1,              IPv6",
        "fd00:10:96::a,      fd00:10:96::a,    IPv6",
        // RFC 5952: the longest zero run is compressed, the first on a tie, never a single group
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1, IPv6",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1, IPv6",
        "1:0:0:2:0:0:0:3,    1:0:0:2::3,       IPv6",
        "::ffff:10.0.0.1,    ::ffff:a00:1,     IPv6",
    })
    void parsesToCanonicalText(String in, String canonical, IpFamily family) {
        IpAddress ip = IpAddress.parse(in);
        assertThat(ip.toString()).isEqualTo(canonical);
        assertThat(ip.family()).isEqualTo(family);
        assertThat(IpAddress.fromBytes(ip.toBytes())).isEqualTo(ip);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.0.0", "10.0.0.256", "010.0.0.1", "10.0.0.1.1", "a.b.c.d", "10..0.1", " 10.0.0.1",
        "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "fe80::1%eth0", "g::1", "1:2:3:4:5:6:7", "localhost", "10.0.0.-1"})
    void rejectsWhatIsNotAnAddressLiteral(String in) {
        assertThatThrownBy(() -> IpAddress.parse(in)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("IP address");
        assertThat(IpAddress.isValid(in)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"10.0.0.255, 1, 10.0.1.0", "::ffff, 1, ::1:0", "10.0.0.1, -1, 10.0.0.0"})
    void arithmetic(String ip, long offset, String expected) {
        assertThat(IpAddress.parse(ip).plus(offset)).isEqualTo(IpAddress.parse(expected));
    }

    @ParameterizedTest
    @CsvSource({"10.0.0.1, 10.0.0.2", "10.0.0.9, 10.0.0.10", "::1, ::2", "10.255.255.255, ::"})
    void ordersNumericallyAndIPv4BeforeIPv6(String lower, String higher) {
        assertThat(IpAddress.parse(lower)).isLessThan(IpAddress.parse(higher));
    }
}
