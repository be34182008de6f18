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
        assertThat(TableShards.candidates("np")).hasSize(TableShards.MAX_TABLES + 1).startsWith("np", "np-0")
                .endsWith("np-31").doesNotContain("np-32");
    }

    @Test
    void everyServiceHasOneStableShardAndTheySpreadEvenly() {
        int[] counts = new int[16];
        IntStream.range(0, 16_000).forEach(i -> counts[TableShards.of("ns/svc-" + i, 16)]++);
        assertThat(java.util.Arrays.stream(counts).boxed().toList()).allSatisfy(c -> assertThat(c).isBetween(800, 1200));
        assertThat(TableShards.of("kube-system/kube-dns", 16)).isEqualTo(TableShards.of("kube-system/kube-dns", 16))
                .isBetween(0, 15);
    }
}
