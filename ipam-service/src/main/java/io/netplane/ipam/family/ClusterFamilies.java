package io.netplane.ipam.family;

import io.netplane.api.net.IpFamily;
import java.util.List;

/**
 * The IP families the cluster serves Service IPs from, primary first (the order of
 * {@code --service-cluster-ip-range}): single IPv4, single IPv6, or dual-stack in either order.
 */
public record ClusterFamilies(List<IpFamily> families) {
    public ClusterFamilies {
        if (families == null || families.isEmpty() || families.size() > 2
                || (families.size() == 2 && families.get(0) == families.get(1))) {
            throw new IllegalArgumentException("a cluster has one IP family, or two different ones: " + families);
        }
        families = List.copyOf(families);
    }

    public static ClusterFamilies of(IpFamily... families) {
        return new ClusterFamilies(List.of(families));
    }

    public IpFamily primary() {
        return families.get(0);
    }

    public boolean dualStack() {
        return families.size() == 2;
    }

    public boolean serves(String family) {
        return families.stream().anyMatch(f -> f.name().equals(family));
    }
}
