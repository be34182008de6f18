package io.netplane.ipam.family;

import static io.netplane.api.net.IpFamily.IPv4;
import static io.netplane.api.net.IpFamily.IPv6;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * IP family policy defaulting and validation, one row per case of the Kubernetes dual-stack documentation
 * ("Services" in the IPv4/IPv6 dual-stack page) and of kube-apiserver's {@code initIPFamilyFields}.
 */
class FamilyPolicyResolverTest {
    static final ClusterFamilies V4 = ClusterFamilies.of(IPv4);
    static final ClusterFamilies V6 = ClusterFamilies.of(IPv6);
    static final ClusterFamilies V4V6 = ClusterFamilies.of(IPv4, IPv6);
    static final ClusterFamilies V6V4 = ClusterFamilies.of(IPv6, IPv4);
    static final String SEL = "selector";
    static final String NOSEL = "no selector";

    /** A create: cluster, policy, families, clusterIPs, selector → policy and families, or an error path + text. */
    static Stream<Arguments> creates() {
        return Stream.of(
                create("v4 cluster, nothing set: SingleStack IPv4", V4, null, l(), l(), SEL, ok("SingleStack", "IPv4")),
                create("v4 cluster, SingleStack", V4, "SingleStack", l(), l(), SEL, ok("SingleStack", "IPv4")),
                create("v4 cluster, PreferDualStack stays single", V4, "PreferDualStack", l(), l(), SEL,
                        ok("PreferDualStack", "IPv4")),
                create("v4 cluster, RequireDualStack rejected", V4, "RequireDualStack", l(), l(), SEL,
                        err("spec.ipFamilyPolicy", "this cluster is not configured for dual-stack services")),
                create("v4 cluster, IPv6 family rejected", V4, null, l("IPv6"), l(), SEL,
                        err("spec.ipFamilies[0]", "not configured on this cluster")),
                create("v4 cluster, two families without policy", V4, null, l("IPv4", "IPv6"), l(), SEL,
                        err("spec.ipFamilyPolicy", "when multiple IP families are specified")),
                create("v4 cluster, two families PreferDualStack", V4, "PreferDualStack", l("IPv4", "IPv6"), l(), SEL,
                        err("spec.ipFamilies[1]", "not configured on this cluster")),
                create("v4 cluster, requested IPv4 clusterIP", V4, null, l(), l("10.0.0.10"), SEL,
                        ok("SingleStack", "IPv4")),
                create("v4 cluster, requested IPv6 clusterIP", V4, null, l(), l("2001:db8::10"), SEL,
                        err("spec.clusterIPs[0]", "IPv6 is not configured on this cluster")),
                create("v4 cluster, headless with selector", V4, null, l(), l("None"), SEL, ok("SingleStack", "IPv4")),
                create("v4 cluster, headless selectorless defaults to RequireDualStack, both families", V4, null, l(),
                        l("None"), NOSEL, ok("RequireDualStack", "IPv4", "IPv6")),
                create("v4 cluster, headless selectorless SingleStack", V4, "SingleStack", l(), l("None"), NOSEL,
                        ok("SingleStack", "IPv4")),
                create("v4 cluster, headless selectorless PreferDualStack IPv6 first", V4, "PreferDualStack",
                        l("IPv6"), l("None"), NOSEL, ok("PreferDualStack", "IPv6", "IPv4")),
                create("v4 cluster, headless with selector RequireDualStack", V4, "RequireDualStack", l(), l("None"),
                        SEL, err("spec.ipFamilyPolicy", "not configured for dual-stack")),
                create("v6 cluster, nothing set", V6, null, l(), l(), SEL, ok("SingleStack", "IPv6")),
                create("v6 cluster, IPv4 family rejected", V6, "SingleStack", l("IPv4"), l(), SEL,
                        err("spec.ipFamilies[0]", "not configured on this cluster")),
                create("v6 cluster, PreferDualStack stays single", V6, "PreferDualStack", l(), l(), SEL,
                        ok("PreferDualStack", "IPv6")),
                create("v4v6 cluster, nothing set: primary family only", V4V6, null, l(), l(), SEL,
                        ok("SingleStack", "IPv4")),
                create("v4v6 cluster, PreferDualStack", V4V6, "PreferDualStack", l(), l(), SEL,
                        ok("PreferDualStack", "IPv4", "IPv6")),
                create("v4v6 cluster, RequireDualStack", V4V6, "RequireDualStack", l(), l(), SEL,
                        ok("RequireDualStack", "IPv4", "IPv6")),
                create("v4v6 cluster, RequireDualStack IPv6 first", V4V6, "RequireDualStack", l("IPv6"), l(), SEL,
                        ok("RequireDualStack", "IPv6", "IPv4")),
                create("v4v6 cluster, SingleStack IPv6", V4V6, "SingleStack", l("IPv6"), l(), SEL,
                        ok("SingleStack", "IPv6")),
                create("v4v6 cluster, family inferred from requested IPv6 clusterIP", V4V6, null, l(),
                        l("2001:db8::10"), SEL, ok("SingleStack", "IPv6")),
                create("v4v6 cluster, both clusterIPs PreferDualStack", V4V6, "PreferDualStack", l(),
                        l("10.0.0.10", "2001:db8::10"), SEL, ok("PreferDualStack", "IPv4", "IPv6")),
                create("v4v6 cluster, requested IPv6 then default second family", V4V6, "RequireDualStack", l(),
                        l("2001:db8::10"), SEL, ok("RequireDualStack", "IPv6", "IPv4")),
                create("v4v6 cluster, two clusterIPs without policy", V4V6, null, l(),
                        l("10.0.0.10", "2001:db8::10"), SEL, err("spec.ipFamilyPolicy", "multiple cluster IPs")),
                create("v4v6 cluster, two IPv4 clusterIPs", V4V6, "RequireDualStack", l(),
                        l("10.0.0.10", "10.0.0.11"), SEL, err("spec.clusterIPs", "no more than one IP for each IP family")),
                create("v4v6 cluster, three clusterIPs", V4V6, "RequireDualStack", l(),
                        l("10.0.0.10", "2001:db8::10", "10.0.0.11"), SEL, err("spec.clusterIPs", "up to 2 values")),
                create("v4v6 cluster, clusterIP family differs from ipFamilies", V4V6, null, l("IPv4"),
                        l("2001:db8::10"), SEL, err("spec.clusterIPs[0]", "expected an IPv4 value as indicated by `ipFamilies[0]`")),
                create("v4v6 cluster, duplicate family", V4V6, "RequireDualStack", l("IPv4", "IPv4"), l(), SEL,
                        err("spec.ipFamilies[1]", null)),
                create("v4v6 cluster, unknown family", V4V6, null, l("IPv5"), l(), SEL,
                        err("spec.ipFamilies[0]", "supported values")),
                create("v4v6 cluster, unknown policy", V4V6, "DualStack", l(), l(), SEL,
                        err("spec.ipFamilyPolicy", "supported values")),
                create("v4v6 cluster, None not alone", V4V6, "RequireDualStack", l(), l("None", "10.0.0.1"), SEL,
                        err("spec.clusterIPs", "'None' must be the first and only value")),
                create("v4v6 cluster, malformed clusterIP", V4V6, null, l(), l("10.0.0.300"), SEL,
                        err("spec.clusterIPs[0]", "must be a valid IP address")),
                create("v4v6 cluster, headless selectorless", V4V6, null, l(), l("None"), NOSEL,
                        ok("RequireDualStack", "IPv4", "IPv6")),
                create("v6v4 cluster, nothing set", V6V4, null, l(), l(), SEL, ok("SingleStack", "IPv6")),
                create("v6v4 cluster, PreferDualStack", V6V4, "PreferDualStack", l(), l(), SEL,
                        ok("PreferDualStack", "IPv6", "IPv4")),
                create("v6v4 cluster, requested IPv4 clusterIP PreferDualStack", V6V4, "PreferDualStack", l(),
                        l("10.0.0.10"), SEL, ok("PreferDualStack", "IPv4", "IPv6")),
                create("v6v4 cluster, headless selectorless", V6V4, null, l(), l("None"), NOSEL,
                        ok("RequireDualStack", "IPv6", "IPv4")),
                create("v6v4 cluster, RequireDualStack IPv4 first", V6V4, "RequireDualStack", l("IPv4"), l(), SEL,
                        ok("RequireDualStack", "IPv4", "IPv6")),
                create("v6v4 cluster, both families and both clusterIPs", V6V4, "RequireDualStack",
                        l("IPv6", "IPv4"), l("2001:db8::10", "10.0.0.10"), SEL, ok("RequireDualStack", "IPv6", "IPv4")),
                create("v6 cluster, headless selectorless gets both families", V6, null, l(), l("None"), NOSEL,
                        ok("RequireDualStack", "IPv6", "IPv4")),
                create("v6 cluster, requested IPv4 clusterIP", V6, null, l(), l("10.0.0.10"), SEL,
                        err("spec.clusterIPs[0]", "IPv4 is not configured on this cluster")),
                create("v4v6 cluster, headless with selector PreferDualStack", V4V6, "PreferDualStack", l(),
                        l("None"), SEL, ok("PreferDualStack", "IPv4", "IPv6")),
                create("v4v6 cluster, headless with selector, no policy", V4V6, null, l(), l("None"), SEL,
                        ok("SingleStack", "IPv4")),
                create("v4v6 cluster, SingleStack with two families", V4V6, "SingleStack", l("IPv4", "IPv6"), l(),
                        SEL, err("spec.ipFamilyPolicy", "when multiple IP families are specified")),
                create("v4v6 cluster, second clusterIP family differs from ipFamilies[1]", V4V6, "RequireDualStack",
                        l("IPv4", "IPv6"), l("10.0.0.10", "10.0.0.11"), SEL,
                        err("spec.clusterIPs", "no more than one IP for each IP family")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("creates")
    void create(String name, ClusterFamilies cluster, ServiceFields in, Expect expect) {
        FamilyResolution r = FamilyPolicyResolver.resolve(cluster, in, null);
        expect.check(r);
    }

    /** Updates: old (as stored) → new request on the given cluster. */
    static Stream<Arguments> updates() {
        ServiceFields v4Single = stored("SingleStack", l("IPv4"), l("10.0.0.10"));
        ServiceFields dual = stored("RequireDualStack", l("IPv4", "IPv6"), l("10.0.0.10", "2001:db8::10"));
        ServiceFields preferDual = stored("PreferDualStack", l("IPv4", "IPv6"), l("10.0.0.10", "2001:db8::10"));
        ServiceFields preferSingle = stored("PreferDualStack", l("IPv4"), l("10.0.0.10"));
        return Stream.of(
                arguments("upgrade: SingleStack to RequireDualStack keeps primary, adds IPv6", V4V6, v4Single,
                        svc("RequireDualStack", l("IPv4"), l("10.0.0.10"), SEL), ok("RequireDualStack", "IPv4", "IPv6")),
                arguments("upgrade: PreferDualStack on a cluster that turned dual-stack is left alone", V4V6,
                        preferSingle, svc("PreferDualStack", l("IPv4"), l("10.0.0.10"), SEL),
                        ok("PreferDualStack", "IPv4")),
                arguments("upgrade: RequireDualStack on a single-stack cluster", V4, v4Single,
                        svc("RequireDualStack", l("IPv4"), l("10.0.0.10"), SEL),
                        err("spec.ipFamilyPolicy", "not configured for dual-stack")),
                arguments("downgrade: SingleStack drops the secondary family and IP", V4V6, dual,
                        svc("SingleStack", l("IPv4", "IPv6"), l("10.0.0.10", "2001:db8::10"), SEL),
                        ok("SingleStack", "IPv4")),
                arguments("downgrade: dropping the secondary IP needs SingleStack", V4V6, dual,
                        svc("RequireDualStack", l("IPv4"), l("10.0.0.10"), SEL),
                        err("spec.ipFamilyPolicy", "must be 'SingleStack' to release the secondary")),
                arguments("PreferDualStack on a cluster that lost dual-stack is left alone", V4, preferDual,
                        svc("PreferDualStack", l("IPv4", "IPv6"), l("10.0.0.10", "2001:db8::10"), SEL),
                        ok("PreferDualStack", "IPv4", "IPv6")),
                arguments("primary clusterIP may not change", V4V6, v4Single,
                        svc("SingleStack", l("IPv4"), l("10.0.0.11"), SEL),
                        err("spec.clusterIPs[0]", "may not change once set")),
                arguments("primary family may not change", V4V6, v4Single,
                        svc("SingleStack", l("IPv6"), l(), SEL),
                        err("spec.clusterIPs[0]", "expected an IPv6 value")),
                arguments("upgrade with a requested secondary clusterIP", V4V6, v4Single,
                        svc("PreferDualStack", l("IPv4", "IPv6"), l("10.0.0.10", "2001:db8::10"), SEL),
                        ok("PreferDualStack", "IPv4", "IPv6")),
                arguments("upgrade may not reorder families", V4V6, v4Single,
                        svc("RequireDualStack", l("IPv6", "IPv4"), l("10.0.0.10"), SEL),
                        err("spec.clusterIPs[0]", "expected an IPv6 value")),
                arguments("downgrade keeps the primary, RequireDualStack to SingleStack with only policy changed",
                        V4V6, dual, svc("SingleStack", l(), l(), SEL), ok("SingleStack", "IPv4")),
                arguments("update that omits clusterIPs and policy keeps them", V4V6, v4Single,
                        svc(null, l(), l(), SEL), ok("SingleStack", "IPv4")),
                arguments("type change to ExternalName is not family-resolved", V4V6, v4Single,
                        new ServiceFields("ExternalName", "", l(), l(), null, false), new Expect(null, l(), null, null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("updates")
    void update(String name, ClusterFamilies cluster, ServiceFields old, ServiceFields in, Expect expect) {
        FamilyResolution r = FamilyPolicyResolver.resolve(cluster, in, old);
        expect.check(r);
        if (r.ok() && !old.clusterIPs().isEmpty() && !in.externalName()) {
            assertThat(r.service().clusterIPs()).as("primary clusterIP kept").startsWith(old.clusterIPs().get(0));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("creates")
    void errorsRenderLikeKubernetes(String name, ClusterFamilies cluster, ServiceFields in, Expect expect) {
        FamilyResolution r = FamilyPolicyResolver.resolve(cluster, in, null);
        r.errors().forEach(e -> assertThat(e.toString()).startsWith(e.path() + ": "));
    }

    // --- table helpers

    record Expect(String policy, List<String> families, String errorPath, String errorText) {
        void check(FamilyResolution r) {
            if (errorPath == null) {
                assertThat(r.errors()).as("errors").isEmpty();
                assertThat(r.service().ipFamilyPolicy()).isEqualTo(policy);
                assertThat(r.service().ipFamilies()).isEqualTo(families);
            } else {
                assertThat(r.errors()).as("errors").isNotEmpty();
                assertThat(r.errors()).anySatisfy(e -> {
                    assertThat(e.path()).isEqualTo(errorPath);
                    if (errorText != null) {
                        assertThat(e.toString()).contains(errorText);
                    }
                });
            }
        }
    }

    static Expect ok(String policy, String... families) {
        return new Expect(policy, List.of(families), null, null);
    }

    static Expect err(String path, String text) {
        return new Expect(null, null, path, text);
    }

    static Arguments create(String name, ClusterFamilies c, String policy, List<String> families, List<String> ips,
            String selector, Expect e) {
        return arguments(name, c, svc(policy, families, ips, selector), e);
    }

    static ServiceFields svc(String policy, List<String> families, List<String> ips, String selector) {
        return new ServiceFields("ClusterIP", ips.isEmpty() ? "" : ips.get(0), ips, families, policy,
                SEL.equals(selector));
    }

    static ServiceFields stored(String policy, List<String> families, List<String> ips) {
        return svc(policy, families, ips, SEL);
    }

    static List<String> l(String... s) {
        return Arrays.asList(s);
    }
}
