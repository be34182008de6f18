package io.netplane.ipam.pools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netplane.api.net.Cidr;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Node pod CIDRs cut from the cluster CIDR (node IPAM controller's range allocator). */
class PodCidrRangeTest {

    @ParameterizedTest(name = "{0} /{1}: {2} subnets, #1 = {3}")
    @CsvSource({
            "10.244.0.0/16,   24, 256,     10.244.1.0/24",
            "10.244.0.0/16,   26, 1024,    10.244.0.64/26",
            "fd00:10:244::/56, 64, 256,    fd00:10:244:1::/64",
            "fd00::/48,       64, 65536,   fd00:0:0:1::/64",
    })
    void subnets(String cluster, int mask, int count, String second) {
        PodCidrRange r = new PodCidrRange(Cidr.parse(cluster), mask, new Random(1));
        assertThat(r.size()).isEqualTo(count);
        assertThat(r.subnetAt(1)).isEqualTo(Cidr.parse(second));
        assertThat(r.slotOf(Cidr.parse(second))).contains(1);
    }

    @Test
    void everySubnetOnceThenFullAndReleaseReuses() {
        PodCidrRange r = new PodCidrRange(Cidr.parse("10.244.0.0/22"), 24, new Random(2));
        Set<Cidr> seen = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            seen.add(r.allocateNext().orElseThrow());
        }
        assertThat(seen).hasSize(4);
        assertThat(r.allocateNext()).isEmpty();
        assertThat(r.release(Cidr.parse("10.244.2.0/24"))).isTrue();
        assertThat(r.allocateNext()).contains(Cidr.parse("10.244.2.0/24"));
        assertThat(r.allocate(Cidr.parse("10.244.2.0/25"))).as("wrong mask").isFalse();
        assertThat(r.allocate(Cidr.parse("10.245.0.0/24"))).as("outside").isFalse();
    }

    @Test
    void maskMustFit() {
        assertThatThrownBy(() -> new PodCidrRange(Cidr.parse("10.244.0.0/16"), 8, new Random()))
                .hasMessageContaining("does not fit");
        assertThatThrownBy(() -> new PodCidrRange(Cidr.parse("fd00::/32"), 64, new Random()))
                .hasMessageContaining("more than 16 bits longer");
    }
}
