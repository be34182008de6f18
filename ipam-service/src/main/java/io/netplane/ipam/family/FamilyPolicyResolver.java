package io.netplane.ipam.family;

import io.netplane.api.net.IpFamily;
import java.util.ArrayList;
import java.util.List;

/**
 * Defaults and validates a Service's {@code ipFamilyPolicy} and {@code ipFamilies} against the cluster's families,
 * as kube-apiserver does before allocating ClusterIPs (its {@code NormalizeClusterIPs}, {@code patchAllocatedValues}
 * and {@code initIPFamilyFields}, then the update validation). The result says which families the Service gets, in
 * which order; {@code clusterIPs} keeps only what the user asked for (empty slots are for the allocator to fill).
 */
public final class FamilyPolicyResolver {
    private FamilyPolicyResolver() {
    }

    /** Resolves a create ({@code before == null}) or an update. */
    public static FamilyResolution resolve(ClusterFamilies cluster, ServiceFields after, ServiceFields before) {
        if (after.externalName()) {
            return FamilyResolution.of(after);
        }
        ServiceFields s = before == null ? normalizeCreate(after) : normalizeUpdate(after, before);
        FamilyResolution r = init(cluster, s, before);
        if (!r.ok() || before == null) {
            return r;
        }
        List<FieldError> update = ClusterIpValidation.validateUpgradeDowngrade(before, r.service());
        return update.isEmpty() ? r : FamilyResolution.rejected(r.service(), update);
    }

    /** An old client that set only {@code clusterIP} gets {@code clusterIPs} initialised from it. */
    static ServiceFields normalizeCreate(ServiceFields s) {
        if (!s.clusterIP().isEmpty() && s.clusterIPs().isEmpty()) {
            return s.withClusterIPs(List.of(s.clusterIP()));
        }
        return s;
    }

    /** Keeps allocated values an update omitted, then syncs {@code clusterIP} and {@code clusterIPs}. */
    static ServiceFields normalizeUpdate(ServiceFields s, ServiceFields old) {
        String ip = s.clusterIP();
        List<String> ips = s.clusterIPs();
        if (old.needsClusterIp() && s.needsClusterIp()) {
            if (ip.isEmpty()) {
                ip = old.clusterIP();
            }
            if (ips.isEmpty() && !old.clusterIPs().isEmpty()) {
                ips = old.clusterIPs();
            }
        }
        if (!old.clusterIPs().isEmpty() && ips.isEmpty() && old.clusterIP().equals(ip)) {
            ips = old.clusterIPs();
        }
        if (!old.clusterIP().equals(ip)) {
            boolean sameIps = old.clusterIPs().equals(ips);
            if (!old.clusterIP().isEmpty() && ip.isEmpty() && sameIps) {
                ips = List.of();
            } else if (sameIps) {
                ips = List.of(ip);
            }
        }
        return new ServiceFields(s.type(), ip, ips, s.ipFamilies(), s.ipFamilyPolicy(), s.hasSelector());
    }

    private static FamilyResolution init(ClusterFamilies cluster, ServiceFields s, ServiceFields old) {
        if (matchingPreferDualStack(s, old)) {
            return FamilyResolution.of(s);
        }
        boolean headlessSelectorless = ServiceFields.NONE.equals(s.clusterIP()) && !s.hasSelector();
        if (s.ipFamilyPolicy() == null) {
            if (old != null && old.ipFamilyPolicy() != null) {
                s = s.withPolicy(old.ipFamilyPolicy());
            } else if (headlessSelectorless) {
                s = s.withPolicy(ServiceFields.REQUIRE_DUAL_STACK);
            } else {
                s = s.withPolicy(ServiceFields.SINGLE_STACK);
            }
        }
        List<FieldError> errs = new ArrayList<>(ClusterIpValidation.validate(s));
        if (!errs.isEmpty()) {
            return FamilyResolution.rejected(s, errs);
        }
        boolean single = ServiceFields.SINGLE_STACK.equals(s.ipFamilyPolicy());
        if (old != null) {
            if (single) {
                if (old.clusterIPs().equals(s.clusterIPs()) && s.clusterIPs().size() > 1) {
                    s = s.withClusterIPs(s.clusterIPs().subList(0, 1));
                }
                if (old.ipFamilies().equals(s.ipFamilies()) && s.ipFamilies().size() > 1) {
                    s = s.withIpFamilies(s.ipFamilies().subList(0, 1));
                }
            } else {
                if (!s.clusterIPs().isEmpty() && s.clusterIPs().size() < old.clusterIPs().size()) {
                    errs.add(FieldError.invalid(ClusterIpValidation.POLICY, s.ipFamilyPolicy(),
                            "must be 'SingleStack' to release the secondary cluster IP"));
                }
                if (!s.ipFamilies().isEmpty() && s.ipFamilies().size() < old.ipFamilies().size()) {
                    errs.add(FieldError.invalid(ClusterIpValidation.POLICY, s.ipFamilyPolicy(),
                            "must be 'SingleStack' to release the secondary IP family"));
                }
            }
        }
        if (single) {
            if (s.clusterIPs().size() == 2) {
                errs.add(FieldError.invalid(ClusterIpValidation.POLICY, s.ipFamilyPolicy(),
                        "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"));
            }
            if (s.ipFamilies().size() == 2) {
                errs.add(FieldError.invalid(ClusterIpValidation.POLICY, s.ipFamilyPolicy(),
                        "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"));
            }
        }
        for (int i = 0; i < s.clusterIPs().size(); i++) {
            String ip = s.clusterIPs().get(i);
            if (ServiceFields.NONE.equals(ip)) {
                break;
            }
            String fam = ClusterIpValidation.familyOf(ip).name();
            if (i >= s.ipFamilies().size()) {
                if (!cluster.serves(fam)) {
                    errs.add(FieldError.invalid(ClusterIpValidation.IPS + "[" + i + "]", s.clusterIPs(),
                            fam + " is not configured on this cluster"));
                } else {
                    s = s.plusFamily(fam);
                }
            }
        }
        if (!errs.isEmpty()) {
            return FamilyResolution.rejected(s, errs);
        }
        if (headlessSelectorless) {
            if (s.ipFamilies().isEmpty()) {
                s = s.withIpFamilies(List.of(cluster.primary().name()));
            }
            if (s.ipFamilies().size() < 2 && !ServiceFields.SINGLE_STACK.equals(s.ipFamilyPolicy())) {
                s = s.plusFamily(other(s.ipFamilies().get(0)));
            }
            return FamilyResolution.of(s);
        }
        if (ServiceFields.REQUIRE_DUAL_STACK.equals(s.ipFamilyPolicy()) && !cluster.dualStack()) {
            errs.add(FieldError.invalid(ClusterIpValidation.POLICY, s.ipFamilyPolicy(),
                    "this cluster is not configured for dual-stack services"));
        }
        for (int i = 0; i < s.ipFamilies().size(); i++) {
            if (!cluster.serves(s.ipFamilies().get(i))) {
                errs.add(FieldError.invalid(ClusterIpValidation.FAMILIES + "[" + i + "]", s.ipFamilies().get(i),
                        "not configured on this cluster"));
            }
        }
        if (!errs.isEmpty()) {
            return FamilyResolution.rejected(s, errs);
        }
        if (s.ipFamilies().isEmpty()) {
            s = s.withIpFamilies(List.of(cluster.primary().name()));
        }
        if (!ServiceFields.SINGLE_STACK.equals(s.ipFamilyPolicy()) && s.ipFamilies().size() == 1
                && cluster.dualStack()) {
            s = s.plusFamily(other(s.ipFamilies().get(0)));
        }
        return FamilyResolution.of(s);
    }

    /**
     * A PreferDualStack Service whose type, clusterIPs and ipFamilies did not change is left alone, so a cluster
     * turning dual-stack on or off never silently upgrades or downgrades it.
     */
    private static boolean matchingPreferDualStack(ServiceFields s, ServiceFields old) {
        if (old == null || s.ipFamilyPolicy() == null || !old.type().equals(s.type())) {
            return false;
        }
        return ServiceFields.PREFER_DUAL_STACK.equals(s.ipFamilyPolicy())
                && (old.ipFamilyPolicy() == null || ServiceFields.PREFER_DUAL_STACK.equals(old.ipFamilyPolicy()))
                && old.clusterIPs().equals(s.clusterIPs())
                && old.ipFamilies().equals(s.ipFamilies());
    }

    private static String other(String family) {
        return IpFamily.IPv4.name().equals(family) ? IpFamily.IPv6.name() : IpFamily.IPv4.name();
    }
}
