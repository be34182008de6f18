package io.netplane.install.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.netplane.api.report.Problem;
import io.netplane.install.reconciler.TemplateFiles;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The objects planned from a spec, on the real k8s/ templates. */
class InstallPlannerTest {
    static final Templates TEMPLATES = TemplateFiles.load();
    static final String NS = "netplane-system";
    static final Facts PLAIN = new Facts(NS, Optional.empty(), false, Optional.of("Q0E="), false);

    static InstallPlan plan(Specs spec, Facts facts) {
        return InstallPlanner.plan(spec.settings(), TEMPLATES, facts);
    }

    @Test
    void theConfigMapHoldsTheSettingsTheComponentsRead() {
        InstallPlan plan = plan(Specs.dualStack().domain("k8s.example.org").className("edge"), PLAIN);
        assertThat(plan.configMap().getMetadata().getName()).isEqualTo("netplane-cluster");
        assertThat(plan.configMap().getMetadata().getNamespace()).isEqualTo(NS);
        assertThat(plan.configMap().getData()).containsExactly(
                entry("KAFKA_BOOTSTRAP_SERVERS", "10.77.0.1:9092"),
                entry("NETPLANE_SERVICE_CIDRS", "10.96.0.0/16,fd00:10:96::/112"),
                entry("NETPLANE_POD_CIDRS", "10.244.0.0/16,fd00:10:244::/56"),
                entry("NETPLANE_IP_FAMILIES", "IPv4,IPv6"),
                entry("NETPLANE_DNS_ZONE", "k8s.example.org"),
                entry("NETPLANE_DNS_ADDRESSES", "10.96.0.10,fd00:10:96::a"),
                entry("NETPLANE_INGRESS_CLASS", "edge"));
        assertThat(plan.configHash()).isEqualTo(ConfigHash.of(plan.configMap().getData()));
    }

    @Test
    void theIpFamiliesFollowTheServiceCidrsOrder() {
        InstallPlan plan = plan(Specs.dualStack().serviceCidrs("fd00:10:96::/112", "10.96.0.0/16")
                .podCidrs("fd00:10:244::/56", "10.244.0.0/16").dnsIps("fd00:10:96::a", "10.96.0.10"), PLAIN);
        assertThat(plan.configMap().getData()).containsEntry("NETPLANE_IP_FAMILIES", "IPv6,IPv4");
        assertThat(env(plan)).containsEntry("NETPLANE_PROXY_IP_FAMILIES", "IPv6,IPv4");
    }

    @Test
    void theDaemonSetEnvironmentComesFromTheSpec() {
        InstallPlan plan = plan(Specs.dualStack().bootstrap("k1:9092,k2:9092").mode("userspace").enforce(false), PLAIN);
        assertThat(plan.nodeProxy().getMetadata().getNamespace()).isEqualTo(NS);
        Map<String, String> env = env(plan);
        assertThat(env).contains(
                entry("KAFKA_BOOTSTRAP_SERVERS", "k1:9092,k2:9092"),
                entry("NETPLANE_PROXY_MODE", "userspace"),
                entry("NETPLANE_PROXY_IP_FAMILIES", "IPv4,IPv6"),
                entry("NETPLANE_PROXY_CLUSTER_CIDRS", "10.244.0.0/16,fd00:10:244::/56"),
                entry("NETPLANE_PROXY_SERVICE_CIDRS", "10.96.0.0/16,fd00:10:96::/112"),
                entry("NETPLANE_PROXY_POLICY_ENFORCEMENT", "false"),
                // the template's other settings stay
                entry("QUARKUS_HTTP_PORT", "10256"));
        // fieldRef variables keep their valueFrom
        assertThat(proxy(plan).getEnv()).filteredOn(v -> v.getName().equals("NODE_NAME"))
                .singleElement().satisfies(v -> {
                    assertThat(v.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");
                    // the API server's default, planned too: server-side apply treats fieldRef as one value
                    assertThat(v.getValueFrom().getFieldRef().getApiVersion()).isEqualTo("v1");
                });
    }

    @Test
    void theImageIsTheRelatedImageWhenSet() {
        assertThat(proxy(plan(Specs.ipv4(), PLAIN)).getImage()).isEqualTo("ghcr.io/netplane/node-proxy:0.1.0");
        Facts olm = new Facts(NS, Optional.of("registry.example/np/node-proxy@sha256:abc"), true, Optional.empty(), false);
        assertThat(proxy(plan(Specs.ipv4(), olm)).getImage()).isEqualTo("registry.example/np/node-proxy@sha256:abc");
    }

    @Test
    void templatesAreNotChanged() {
        plan(Specs.dualStack().mode("userspace").className("other"), new Facts("elsewhere", Optional.of("img"), false,
                Optional.of("Q0E="), true));
        assertThat(TemplateFiles.load()).isEqualTo(TEMPLATES);
    }

    static Stream<Arguments> dnsService() {
        return Stream.of(
                Arguments.of(Specs.ipv4(), "SingleStack", new String[] {"10.96.0.10"}, new String[] {"IPv4"}),
                Arguments.of(Specs.ipv4().serviceCidrs("fd00:10:96::/112").podCidrs("fd00:10:244::/56")
                        .dnsIps("fd00:10:96::a"), "SingleStack", new String[] {"fd00:10:96::a"}, new String[] {"IPv6"}),
                Arguments.of(Specs.dualStack(), "RequireDualStack", new String[] {"10.96.0.10", "fd00:10:96::a"},
                        new String[] {"IPv4", "IPv6"}),
                Arguments.of(Specs.dualStack().serviceCidrs("fd00:10:96::/112", "10.96.0.0/16")
                        .podCidrs("fd00:10:244::/56", "10.244.0.0/16").dnsIps("fd00:10:96::a", "10.96.0.10"),
                        "RequireDualStack", new String[] {"fd00:10:96::a", "10.96.0.10"}, new String[] {"IPv6", "IPv4"}));
    }

    @ParameterizedTest
    @MethodSource
    void dnsService(Specs spec, String policy, String[] ips, String[] families) {
        Service svc = plan(spec, PLAIN).dnsService();
        assertThat(svc.getMetadata().getName()).isEqualTo("netplane-dns");
        assertThat(svc.getMetadata().getNamespace()).isEqualTo(NS);
        assertThat(svc.getSpec().getIpFamilyPolicy()).isEqualTo(policy);
        assertThat(svc.getSpec().getClusterIPs()).containsExactly(ips);
        assertThat(svc.getSpec().getClusterIP()).isEqualTo(ips[0]);
        assertThat(svc.getSpec().getIpFamilies()).containsExactly(families);
        assertThat(svc.getSpec().getPorts()).extracting(p -> p.getName()).containsExactly("dns", "dns-tcp");
    }

    @Test
    void theIngressClassIsTheDefaultOnlyWhenAsked() {
        var plain = plan(Specs.ipv4(), PLAIN).ingressClass();
        assertThat(plain.getMetadata().getName()).isEqualTo("netplane");
        assertThat(plain.getSpec().getController()).isEqualTo("netplane.io/ingress-controller");
        assertThat(plain.getMetadata().getAnnotations()).isEmpty();
        var byDefault = plan(Specs.ipv4().className("edge").defaultClass(true), PLAIN).ingressClass();
        assertThat(byDefault.getMetadata().getName()).isEqualTo("edge");
        assertThat(byDefault.getMetadata().getAnnotations())
                .containsExactly(entry("ingressclass.kubernetes.io/is-default-class", "true"));
    }

    @Test
    void theWebhookIsWrittenWithoutOlmWithTheSecretsCa() {
        InstallPlan plan = plan(Specs.ipv4(), new Facts("np", Optional.empty(), false, Optional.of("Q0E="), false));
        assertThat(plan.problems()).isEmpty();
        var mwc = plan.ipamWebhook().orElseThrow();
        assertThat(mwc.getMetadata().getName()).isEqualTo("ipam-service");
        assertThat(mwc.getWebhooks()).extracting(MutatingWebhook::getClientConfig)
                .allSatisfy(c -> {
                    assertThat(c.getCaBundle()).isEqualTo("Q0E=");
                    assertThat(c.getService().getNamespace()).isEqualTo("np");
                });
        assertThat(mwc.getMetadata().getAnnotations()).containsEntry("cert-manager.io/inject-ca-from", "np/ipam-service-tls");
    }

    @Test
    void aMissingWebhookCertificateIsAProblemAndNoWebhook() {
        InstallPlan plan = plan(Specs.ipv4(), new Facts(NS, Optional.empty(), false, Optional.empty(), false));
        assertThat(plan.ipamWebhook()).isEmpty();
        assertThat(plan.problems()).singleElement().satisfies(p -> {
            assertThat(p.type()).isEqualTo(Problem.Type.Warning);
            assertThat(p.reason()).isEqualTo("WebhookCertificateMissing");
            assertThat(p.message()).startsWith("Secret netplane-system/ipam-service-tls with key ca.crt not found");
        });
    }

    @Test
    void underOlmTheWebhookIsOlmsAndNoProblem() {
        InstallPlan plan = plan(Specs.ipv4(), new Facts(NS, Optional.empty(), true, Optional.empty(), false));
        assertThat(plan.ipamWebhook()).isEmpty();
        assertThat(plan.problems()).isEmpty();
    }

    @Test
    void kafkaTopicsOnlyWithStrimzi() {
        assertThat(plan(Specs.ipv4(), PLAIN).kafkaTopics()).isEmpty();
        var topics = plan(Specs.ipv4(), new Facts("np", Optional.empty(), false, Optional.of("Q0E="), true)).kafkaTopics();
        assertThat(topics).hasSize(8).allSatisfy(t -> {
            assertThat(t.getKind()).isEqualTo("KafkaTopic");
            assertThat(t.getApiVersion()).isEqualTo("kafka.strimzi.io/v1beta2");
            assertThat(t.getMetadata().getNamespace()).isEqualTo("np");
        });
        assertThat(topics).extracting(t -> t.getMetadata().getName()).contains("netplane.services.v1",
                "netplane.ipsets.v1");
    }

    private static Container proxy(InstallPlan plan) {
        return plan.nodeProxy().getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> c.getName().equals("node-proxy")).findFirst().orElseThrow();
    }

    private static Map<String, String> env(InstallPlan plan) {
        return proxy(plan).getEnv().stream().filter(v -> v.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }
}
