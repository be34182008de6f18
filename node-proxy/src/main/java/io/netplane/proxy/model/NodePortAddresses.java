package io.netplane.proxy.model;

import io.netplane.api.net.Cidr;
import io.netplane.api.net.IpAddress;
import io.netplane.api.net.IpFamily;
import java.util.ArrayList;
import java.util.List;

/**
 * kube-proxy's {@code --nodeport-addresses} in nftables mode: which of this node's addresses NodePorts answer on.
 * Unset means {@code primary} (nftables mode's default): the node's primary address of the family, the first
 * InternalIP of the Node object, else its first ExternalIP. CIDRs select the node's interface addresses inside them
 * (not only those the Node object lists); a CIDR that holds every address of the family ({@code 0.0.0.0/0},
 * {@code ::/0}) means every local address. Loopback is never used, as in kube-proxy's nftables mode.
 */
public final class NodePortAddresses {
    private NodePortAddresses() {
    }

    /**
     * @param addresses the addresses to match, or null for every local address
     * @param problem why NodePorts of the family answer on no address; null when they answer somewhere
     */
    public record Selection(List<String> addresses, String problem) {
    }

    /**
     * @param config CIDRs or the word {@code primary}; empty means {@code primary}
     * @param internalIPs the Node object's InternalIP addresses, in its order
     * @param nodeIPs the Node object's InternalIP and ExternalIP addresses, in its order
     * @param interfaceIPs the addresses on this node's interfaces
     */
    public static Selection select(List<String> config, List<String> internalIPs, List<String> nodeIPs,
            List<String> interfaceIPs, IpFamily family) {
        List<String> entries = config.isEmpty() ? List.of("primary") : config;
        List<String> out = new ArrayList<>();
        List<String> cidrs = new ArrayList<>();
        for (String entry : entries) {
            if ("primary".equals(entry)) {
                primary(internalIPs, nodeIPs, family).ifPresent(ip -> add(out, ip, family, null));
                continue;
            }
            Cidr c = Cidr.parse(entry);
            if (c.family() != family) {
                continue;
            }
            if (c.prefix() == 0) {
                return new Selection(null, null);
            }
            cidrs.add(entry);
            interfaceIPs.forEach(ip -> add(out, ip, family, c));
        }
        if (!out.isEmpty()) {
            return new Selection(out, null);
        }
        String why = entries.contains("primary") && cidrs.isEmpty()
                ? "the Node object lists no " + family + " InternalIP or ExternalIP (or has not been seen)"
                : entries.contains("primary")
                        ? "the Node object lists no " + family + " address and no interface address is inside "
                                + String.join(",", cidrs)
                        : cidrs.isEmpty() ? "nodeport-addresses has no " + family + " entry"
                                : "no interface address of this node is inside " + String.join(",", cidrs);
        return new Selection(out, "NodePorts answer on no " + family + " address: " + why);
    }

    /** kube-proxy's primary node IP of a family ({@code GetNodeHostIPs}): first InternalIP, else first ExternalIP. */
    static java.util.Optional<String> primary(List<String> internalIPs, List<String> nodeIPs, IpFamily family) {
        return internalIPs.stream().filter(ip -> isOf(ip, family)).findFirst()
                .or(() -> nodeIPs.stream().filter(ip -> isOf(ip, family)).findFirst());
    }

    private static boolean isOf(String text, IpFamily family) {
        return IpAddress.isValid(text) && IpAddress.parse(text).family() == family;
    }

    private static void add(List<String> out, String text, IpFamily family, Cidr within) {
        if (!IpAddress.isValid(text)) {
            return;
        }
        IpAddress ip = IpAddress.parse(text);
        boolean loopback = family == IpFamily.IPv4 ? (ip.lo() >>> 24) == 127 : ip.hi() == 0 && ip.lo() == 1;
        if (ip.family() == family && !loopback && (within == null || within.family() == ip.family() && within.contains(ip))
                && !out.contains(ip.toString())) {
            out.add(ip.toString());
        }
    }
}
