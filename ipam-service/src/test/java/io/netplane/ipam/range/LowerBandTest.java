package io.netplane.ipam.range;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.api.net.Cidr;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The reserved lower band: {@code min(max(16, size/16), 256)} for Service CIDRs, {@code min(max(16, size/32), 128)} for ports. */
class LowerBandTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "10.0.0.0/29, 0",       // 8 addresses: no band
            "10.0.0.0/28, 0",       // 16 addresses: size <= min, no band
            "10.0.0.0/27, 16",      // 32/16 = 2, raised to the minimum 16
            "10.0.0.0/24, 16",      // 256/16 = 16
            "10.0.0.0/22, 64",      // 1024/16 = 64
            "10.0.0.0/20, 256",     // 4096/16 = 256
            "10.96.0.0/12, 256",    // capped at 256
            "2001:db8::/124, 0",
            "2001:db8::/120, 16",
            "2001:db8::/112, 256",
            "2001:db8::/64, 256",   // counted over the whole CIDR, not the 2^16 cap
    })
    void serviceCidr(String cidr, int band) {
        assertThat(LowerBand.forServiceCidr(Cidr.parse(cidr).size())).isEqualTo(band);
    }

    @ParameterizedTest(name = "{0} ports -> {1}")
    @CsvSource({
            "16, 0",
            "17, 16",
            "100, 16",
            "1000, 31",
            "2768, 86",    // the default 30000-32767
            "4096, 128",
            "10000, 128",
    })
    void portRange(int size, int band) {
        assertThat(LowerBand.forPortRange(size)).isEqualTo(band);
    }
}
