package io.netplane.api.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
        "10.96.0.0/12,   10.96.0.1,      true",
        "10.96.0.0/12,   10.111.255.255, true",
        "10.96.0.0/12,   10.112.0.0,     false",
        "0.0.0.0/0,      192.168.1.1,    true",
        "0.0.0.0/0,      ::1,            false",
        "fd00::/108,     fd00::f:ffff,   true",
        "fd00::/108,     fd00::10:0,     false",
        "10.0.0.1/32,    10.0.0.1,       true",
        "10.0.0.1/32,    10.0.0.2,       false",
    })
    void containment(String cidr, String ip, boolean expected) {
        assertThat(Cidr.parse(cidr).contains(IpAddress.parse(ip))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"10.0.0.1/8, 10.0.0.0/8", "2001:DB8::1/64, 2001:db8::/64", "192.168.1.77/24, 192.168.1.0/24"})
    void sloppyParseMasksHostBitsButStrictParseRejectsThem(String in, String canonical) {
        assertThat(Cidr.parse(in)).hasToString(canonical);
        assertThatThrownBy(() -> Cidr.parseStrict(in)).hasMessageContaining("host bits").hasMessageContaining(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/08", "x/8", "10.0.0/8"})
    void rejectsInvalid(String in) {
        assertThatThrownBy(() -> Cidr.parse(in)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CIDR");
    }

    @ParameterizedTest
    @CsvSource({"10.0.0.0/8, 10.1.0.0/16, true", "10.1.0.0/16, 10.0.0.0/8, true", "10.0.0.0/16, 10.1.0.0/16, false",
        "fd00::/64, 10.0.0.0/8, false"})
    void overlap(String a, String b, boolean expected) {
        assertThat(Cidr.parse(a).overlaps(Cidr.parse(b))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"10.96.0.0/12, 1048576, 10.111.255.255", "fd00::/108, 1048576, fd00::f:ffff", "10.0.0.0/31, 2, 10.0.0.1"})
    void sizeAndIndexing(String cidr, long size, String last) {
        Cidr c = Cidr.parse(cidr);
        assertThat(c.size()).isEqualTo(BigInteger.valueOf(size));
        assertThat(c.broadcast()).isEqualTo(IpAddress.parse(last));
        assertThat(c.indexOf(c.broadcast())).isEqualTo(BigInteger.valueOf(size - 1));
        assertThatThrownBy(() -> c.addressAt(BigInteger.valueOf(size))).isInstanceOf(IllegalArgumentException.class);
    }
}
