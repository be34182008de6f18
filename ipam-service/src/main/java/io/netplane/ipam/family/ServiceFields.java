package io.netplane.ipam.family;

import java.util.ArrayList;
import java.util.List;

/**
 * The fields of a Service that IP family resolution reads and writes, cut down at the edge. Lists are never null;
 * {@code ipFamilyPolicy} is null when unset; {@code clusterIP} is "" when unset.
 */
public record ServiceFields(
        String type,
        String clusterIP,
        List<String> clusterIPs,
        List<String> ipFamilies,
        String ipFamilyPolicy,
        boolean hasSelector) {

    public static final String NONE = "None";
    public static final String SINGLE_STACK = "SingleStack";
    public static final String PREFER_DUAL_STACK = "PreferDualStack";
    public static final String REQUIRE_DUAL_STACK = "RequireDualStack";

    public ServiceFields {
        type = type == null || type.isEmpty() ? "ClusterIP" : type;
        clusterIP = clusterIP == null ? "" : clusterIP;
        clusterIPs = clusterIPs == null ? List.of() : List.copyOf(clusterIPs);
        ipFamilies = ipFamilies == null ? List.of() : List.copyOf(ipFamilies);
    }

    public boolean externalName() {
        return "ExternalName".equals(type);
    }

    /** {@code clusterIPs} is exactly {@code ["None"]}. */
    public boolean headless() {
        return clusterIPs.size() == 1 && NONE.equals(clusterIPs.get(0));
    }

    public boolean needsClusterIp() {
        return !externalName();
    }

    public ServiceFields withClusterIPs(List<String> ips) {
        return new ServiceFields(type, ips.isEmpty() ? "" : ips.get(0), ips, ipFamilies, ipFamilyPolicy, hasSelector);
    }

    public ServiceFields withIpFamilies(List<String> families) {
        return new ServiceFields(type, clusterIP, clusterIPs, families, ipFamilyPolicy, hasSelector);
    }

    public ServiceFields withPolicy(String policy) {
        return new ServiceFields(type, clusterIP, clusterIPs, ipFamilies, policy, hasSelector);
    }

    public ServiceFields plusFamily(String family) {
        List<String> f = new ArrayList<>(ipFamilies);
        f.add(family);
        return withIpFamilies(f);
    }
}
