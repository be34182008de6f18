package io.netplane.proxy.model;

import io.netplane.api.net.Cidr;
import io.netplane.api.net.IpAddress;
import io.netplane.api.net.IpFamily;
import java.util.ArrayList;
import java.util.List;

/**
 * kube-proxy's {@code --nodeport-addresses}: which of this node's addresses NodePorts answer on. An empty
 * list means every local address (returned as null); {@code primary} means the node's InternalIPs; CIDRs
 * select the node addresses inside them. Loopback is never used, as in kube-proxy.
 */
public final class NodePortAddresses {
    private NodePortAddresses() {
    }

    /**
     * @param config CIDRs or the word {@code primary}
     * @param internalIPs the node's InternalIP addresses
     * @param allIPs every address the node reports
     */
    public static List<String> select(List<String> config, List<String> internalIPs, List<String> allIPs,
            IpFamily family) {
        if (config.isEmpty()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String entry : config) {
            if ("primary".equals(entry)) {
                internalIPs.forEach(ip -> add(out, ip, family, null));
            } else {
                Cidr c = Cidr.parse(entry);
                allIPs.forEach(ip -> add(out, ip, family, c));
            }
        }
        return out;
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
