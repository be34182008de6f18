package io.netplane.proxy.nft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TableShardsTest {

    @Test
    void aTablePerThousandServicesInPowersOfTwo() {
        assertThat(TableShards.forServices(0)).isEqualTo(1);
        assertThat(TableShards.forServices(1000)).isEqualTo(1);
        assertThat(TableShards.forServices(1001)).isEqualTo(2);
        assertThat(TableShards.forServices(3000)).isEqualTo(4);
        assertThat(TableShards.forServices(10_000)).isEqualTo(16);
        assertThat(TableShards.forServices(5_000_000)).isEqualTo(TableShards.MAX_TABLES);
    }

    @Test
    void oneTableKeepsTheConfiguredNameSeveralAreNumbered() {
        assertThat(TableShards.name("netplane-proxy", 0, 1)).isEqualTo("netplane-proxy");
        assertThat(TableShards.name("netplane-proxy", 5, 16)).isEqualTo("netplane-proxy-5");
        assertThat(TableShards.ours("netplane-proxy", "netplane-proxy")).isTrue();
        assertThat(TableShards.ours("netplane-proxy", "netplane-proxy-12")).isTrue();
        // another owner's table that merely starts with the name is never touched
        assertThat(TableShards.ours("netplane-proxy", "netplane-proxy-it")).isFalse();
        assertThat(TableShards.ours("netplane-proxy", "netplane-proxy-")).isFalse();
        assertThat(TableShards.ours("netplane-proxy", "netplane")).isFalse();
    }

    @Test
    void everyServiceHasOneStableShardAndTheySpreadEvenly() {
        int[] counts = new int[16];
        IntStream.range(0, 16_000).forEach(i -> counts[TableShards.of("ns/svc-" + i, 16)]++);
        assertThat(java.util.Arrays.stream(counts).boxed().toList()).allSatisfy(c -> assertThat(c).isBetween(800, 1200));
        assertThat(TableShards.of("kube-system/kube-dns", 16)).isEqualTo(TableShards.of("kube-system/kube-dns", 16))
                .isBetween(0, 15);
    }

    @Test
    void listedPicksThisFamilysTablesOfThisName() {
        String listing = "table ip netplane-proxy-0\ntable ip6 netplane-proxy-0\ntable ip netplane-proxy\n"
                + "table inet netplane-policy\ntable ip netplane-proxy-it\ntable ip netplane-proxy-1";
        assertThat(TableShards.listed(listing, "ip", "netplane-proxy"))
                .containsExactly("netplane-proxy-0", "netplane-proxy", "netplane-proxy-1");
        assertThat(TableShards.listed(listing, "ip6", "netplane-proxy")).containsExactly("netplane-proxy-0");
    }
}
