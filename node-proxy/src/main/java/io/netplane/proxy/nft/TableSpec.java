package io.netplane.proxy.nft;

import java.util.List;

/**
 * The parts of the table that do not belong to any one Service.
 *
 * @param nodePortIPs the addresses NodePorts answer on; null means every local address except loopback
 * @param serviceCidrs the Service ranges of this family: unallocated addresses in them are dropped
 * @param masqueradeMark the packet mark bit that asks for masquerading
 * @param clusterCidrs Pod ranges of this family: ClusterIP traffic from outside them is masqueraded (one rule
 *     over the {@code cluster-ips} set, not one per Service)
 * @param masqueradeAll masquerade every ClusterIP connection
 * @param sharded one of several tables sharing this family's Services ({@link TableShards}): traffic to an
 *     unallocated ClusterIP is dropped by chains that run after every table's own checks
 */
public record TableSpec(NftFamily family, String name, List<String> nodePortIPs, List<String> serviceCidrs,
        int masqueradeMark, List<String> clusterCidrs, boolean masqueradeAll, boolean sharded) {

    public TableSpec {
        nodePortIPs = nodePortIPs == null ? null : List.copyOf(nodePortIPs);
        serviceCidrs = List.copyOf(serviceCidrs);
        clusterCidrs = List.copyOf(clusterCidrs);
    }

    /** The only table of its family. */
    public TableSpec(NftFamily family, String name, List<String> nodePortIPs, List<String> serviceCidrs,
            int masqueradeMark, List<String> clusterCidrs, boolean masqueradeAll) {
        this(family, name, nodePortIPs, serviceCidrs, masqueradeMark, clusterCidrs, masqueradeAll, false);
    }

    /** A table that masquerades no ClusterIP traffic by source (no cluster CIDRs, no masquerade-all). */
    public TableSpec(NftFamily family, String name, List<String> nodePortIPs, List<String> serviceCidrs,
            int masqueradeMark) {
        this(family, name, nodePortIPs, serviceCidrs, masqueradeMark, List.of(), false, false);
    }

    /** {@code ip netplane-proxy}: how commands address the table. */
    public String ref() {
        return family.keyword() + " " + name;
    }

    public String mark() {
        return String.format("0x%08x", masqueradeMark);
    }
}
