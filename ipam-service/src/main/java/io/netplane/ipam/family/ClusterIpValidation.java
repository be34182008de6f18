package io.netplane.ipam.family;

import io.netplane.api.net.IpAddress;
import io.netplane.api.net.IpFamily;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Kubernetes' validation of {@code clusterIP}, {@code clusterIPs}, {@code ipFamilies} and {@code ipFamilyPolicy}
 * (create and update), with the same field paths and messages.
 */
public final class ClusterIpValidation {
    static final String IPS = "spec.clusterIPs";
    static final String FAMILIES = "spec.ipFamilies";
    static final String POLICY = "spec.ipFamilyPolicy";
    private static final Set<String> POLICIES =
            Set.of(ServiceFields.SINGLE_STACK, ServiceFields.PREFER_DUAL_STACK, ServiceFields.REQUIRE_DUAL_STACK);

    private ClusterIpValidation() {
    }

    /** The checks of {@code ValidateServiceClusterIPsRelatedFields}. */
    public static List<FieldError> validate(ServiceFields s) {
        List<FieldError> errs = new ArrayList<>();
        if (s.externalName()) {
            return errs;
        }
        if (!s.clusterIP().isEmpty()) {
            if (s.clusterIPs().isEmpty()) {
                errs.add(FieldError.required(IPS, ""));
            } else if (!s.clusterIPs().get(0).equals(s.clusterIP())) {
                errs.add(FieldError.invalid(IPS, s.clusterIPs(), "first value must match `clusterIP`"));
            }
        } else if (!s.clusterIPs().isEmpty()) {
            errs.add(FieldError.invalid(IPS, s.clusterIPs(), "must be empty when `clusterIP` is not specified"));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < s.ipFamilies().size(); i++) {
            String f = s.ipFamilies().get(i);
            if (!"IPv4".equals(f) && !"IPv6".equals(f)) {
                errs.add(FieldError.notSupported(FAMILIES + "[" + i + "]", f, "\"IPv4\", \"IPv6\""));
            }
            if (!seen.add(f)) {
                errs.add(FieldError.duplicate(FAMILIES + "[" + i + "]", f));
            }
        }
        if (s.ipFamilyPolicy() != null && !POLICIES.contains(s.ipFamilyPolicy())) {
            errs.add(FieldError.notSupported(POLICY, s.ipFamilyPolicy(),
                    "\"PreferDualStack\", \"RequireDualStack\", \"SingleStack\""));
        }
        boolean badIps = false;
        for (int i = 0; i < s.clusterIPs().size(); i++) {
            String ip = s.clusterIPs().get(i);
            if (i == 0 && ServiceFields.NONE.equals(ip)) {
                if (s.clusterIPs().size() > 1) {
                    badIps = true;
                    errs.add(FieldError.invalid(IPS, s.clusterIPs(), "'None' must be the first and only value"));
                }
                continue;
            }
            if (!IpAddress.isValid(ip)) {
                badIps = true;
                errs.add(FieldError.invalid(IPS + "[" + i + "]", ip,
                        "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
            }
        }
        if (s.clusterIPs().size() > 2) {
            errs.add(FieldError.invalid(IPS, s.clusterIPs(), "may only hold up to 2 values"));
        }
        if (badIps) {
            return errs;
        }
        if (s.clusterIPs().size() > 1 && (s.clusterIPs().size() != 2
                || familyOf(s.clusterIPs().get(0)) == familyOf(s.clusterIPs().get(1)))) {
            errs.add(FieldError.invalid(IPS, s.clusterIPs(), "may specify no more than one IP for each IP family"));
        }
        if (!s.headless() && !s.clusterIPs().isEmpty() && !s.ipFamilies().isEmpty()) {
            for (int i = 0; i < s.clusterIPs().size() && i < s.ipFamilies().size(); i++) {
                String ip = s.clusterIPs().get(i);
                String want = s.ipFamilies().get(i);
                if (("IPv4".equals(want) || "IPv6".equals(want)) && !familyOf(ip).name().equals(want)) {
                    errs.add(FieldError.invalid(IPS + "[" + i + "]", ip,
                            "expected an " + want + " value as indicated by `ipFamilies[" + i + "]`"));
                }
            }
        }
        return errs;
    }

    /** The update-only checks: the primary clusterIP and family never change; releasing needs SingleStack. */
    public static List<FieldError> validateUpgradeDowngrade(ServiceFields old, ServiceFields s) {
        List<FieldError> errs = new ArrayList<>();
        if (s.externalName() || old.externalName() || (old.headless() && s.headless())) {
            return errs;
        }
        List<String> o = old.clusterIPs();
        List<String> n = s.clusterIPs();
        if (o.size() == n.size()) {
            for (int i = 0; i < o.size(); i++) {
                if (!o.get(i).equals(n.get(i))) {
                    errs.add(FieldError.invalid(IPS + "[" + i + "]", n, "may not change once set"));
                }
            }
        } else if (o.size() > n.size()) {
            if (n.isEmpty()) {
                errs.add(FieldError.invalid(IPS + "[0]", n, "primary clusterIP can not be unset"));
            } else if (!n.get(0).equals(o.get(0))) {
                errs.add(FieldError.invalid(IPS + "[0]", n, "may not change once set"));
            }
            if (n.size() == 1 && !ServiceFields.SINGLE_STACK.equals(s.ipFamilyPolicy())) {
                errs.add(FieldError.invalid(POLICY, s.ipFamilyPolicy(),
                        "must be set to 'SingleStack' when releasing the secondary clusterIP"));
            }
        } else if (!o.isEmpty() && !n.get(0).equals(o.get(0))) {
            errs.add(FieldError.invalid(IPS + "[0]", n, "may not change once set"));
        }
        if (old.headless() != s.headless() || s.headless()) {
            return errs;
        }
        List<String> of = old.ipFamilies();
        List<String> nf = s.ipFamilies();
        if (of.size() == nf.size()) {
            for (int i = 0; i < of.size(); i++) {
                if (!of.get(i).equals(nf.get(i))) {
                    errs.add(FieldError.invalid(FAMILIES + "[0]", nf, "may not change once set"));
                }
            }
        } else if (of.size() > nf.size()) {
            if (!nf.isEmpty() && !nf.get(0).equals(of.get(0))) {
                errs.add(FieldError.invalid(FAMILIES + "[0]", nf, "may not change once set"));
            }
            if (nf.size() == 1 && !ServiceFields.SINGLE_STACK.equals(s.ipFamilyPolicy())) {
                errs.add(FieldError.invalid(POLICY, s.ipFamilyPolicy(),
                        "must be set to 'SingleStack' when releasing the secondary ipFamily"));
            }
        } else if (!of.isEmpty() && !nf.get(0).equals(of.get(0))) {
            errs.add(FieldError.invalid(FAMILIES + "[0]", nf, "may not change once set"));
        }
        return errs;
    }

    static IpFamily familyOf(String ip) {
        return IpAddress.parse(ip).family();
    }
}
