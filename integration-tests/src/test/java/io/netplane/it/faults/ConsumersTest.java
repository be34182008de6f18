package io.netplane.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The parsing the fault suite's nftables check rests on, against a listing as {@code nft list table} prints it. */
class ConsumersTest {
    private static final String LISTING = """
            table ip netplane-proxy {
            \tset cluster-ips {
            \t\ttype ipv4_addr
            \t\telements = { 10.96.0.1, 10.96.0.10,
            \t\t\t     10.96.94.186 }
            \t}

            \tchain service-6D83957D-kube-system/kube-dns/tcp/dns-tcp {
            \t\tip saddr != 10.244.0.0/16 jump mark-for-masquerade
            \t\tmeta l4proto tcp numgen random mod 2 0 dnat to 10.244.99.2:53
            \t\tmeta l4proto tcp dnat to 10.244.99.3:53
            \t}

            \tchain service-0F3C1A2B-default/big/tcp/http {
            \t\tmeta l4proto tcp dnat ip to numgen random mod 33 map { 0 : 10.244.98.1 . 80, 1 : 10.244.98.2 . 80 }
            \t}
            }
            """;

    @Test
    void splitsTheListingIntoItsSetsAndChains() {
        Map<String, String> blocks = Consumers.blocks(LISTING);
        assertThat(blocks).containsOnlyKeys("cluster-ips", "service-6D83957D-kube-system/kube-dns/tcp/dns-tcp",
                "service-0F3C1A2B-default/big/tcp/http");
        assertThat(Consumers.ipv4(blocks.get("cluster-ips"))).containsExactly("10.96.0.1", "10.96.0.10", "10.96.94.186");
    }

    @Test
    void readsEndpointAddressesButNotCidrs() {
        String chain = Consumers.blocks(LISTING).get("service-6D83957D-kube-system/kube-dns/tcp/dns-tcp");
        assertThat(Consumers.ipv4(chain)).containsExactly("10.244.99.2", "10.244.99.3");
        // more than 32 endpoints: one numgen map
        assertThat(Consumers.ipv4(Consumers.blocks(LISTING).get("service-0F3C1A2B-default/big/tcp/http")))
                .containsExactly("10.244.98.1", "10.244.98.2");
    }
}
