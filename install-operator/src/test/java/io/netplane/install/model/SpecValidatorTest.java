package io.netplane.install.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.api.report.Problem;
import io.netplane.install.crd.NetplaneSpec;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each rule of the validator, with a spec that keeps it and one that breaks it; messages name field and value. */
class SpecValidatorTest {

    static Stream<Arguments> valid() {
        return Stream.of(
                row("single-stack IPv4", Specs.ipv4()),
                row("single-stack IPv6", Specs.ipv4().serviceCidrs("fd00:10:96::/112").podCidrs("fd00:10:244::/56")
                        .dnsIps("fd00:10:96::a")),
                row("dual-stack, IPv4 primary", Specs.dualStack()),
                row("dual-stack, IPv6 primary", Specs.dualStack().serviceCidrs("fd00:10:96::/112", "10.96.0.0/16")
                        .podCidrs("fd00:10:244::/56", "10.244.0.0/16").dnsIps("fd00:10:96::a", "10.96.0.10")),
                row("several brokers, names and addresses", Specs.ipv4()
                        .bootstrap("kafka-0.example.com:9092, 10.0.0.1:9093,[fd00::1]:9094")),
                row("userspace proxy without policy", Specs.ipv4().mode("userspace").enforce(false)),
                row("own domain and class", Specs.ipv4().domain("k8s.example.org").className("edge.example.com")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void valid(String why, Specs spec) {
        Validation v = SpecValidator.validate(spec.build());
        assertThat(v.problems()).as(why).isEmpty();
        assertThat(v.valid()).isTrue();
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                row("no service CIDR", Specs.ipv4().serviceCidrs(), "spec.serviceCIDRs: is required"),
                row("not a CIDR", Specs.ipv4().serviceCidrs("10.96.0.0/33"),
                        "spec.serviceCIDRs[0]: \"10.96.0.0/33\" is not a valid CIDR"),
                row("host bits set", Specs.ipv4().serviceCidrs("10.96.0.1/16"),
                        "spec.serviceCIDRs[0]: \"10.96.0.1/16\" is not a valid CIDR: invalid CIDR \"10.96.0.1/16\": host bits are set"),
                row("three CIDRs", Specs.ipv4().serviceCidrs("10.96.0.0/16", "fd00::/112", "10.97.0.0/16"),
                        "spec.serviceCIDRs: has 3 CIDRs"),
                row("two of one family", Specs.dualStack().serviceCidrs("10.96.0.0/16", "10.97.0.0/16"),
                        "spec.serviceCIDRs: has two IPv4 CIDRs [10.96.0.0/16, 10.97.0.0/16]"),
                row("pod CIDR of another family", Specs.ipv4().podCidrs("fd00:10:244::/56"),
                        "spec.podCIDRs: has the IP families [IPv6], but spec.serviceCIDRs has [IPv4]"),
                row("pod CIDRs in another order", Specs.dualStack().podCidrs("fd00:10:244::/56", "10.244.0.0/16"),
                        "spec.podCIDRs: has the IP families [IPv6, IPv4], but spec.serviceCIDRs has [IPv4, IPv6]"),
                row("one pod CIDR for two service CIDRs", Specs.dualStack().podCidrs("10.244.0.0/16"),
                        "spec.podCIDRs: has the IP families [IPv4], but spec.serviceCIDRs has [IPv4, IPv6]"),
                row("no brokers", Specs.ipv4().bootstrap(" "), "spec.kafka.bootstrapServers: is required"),
                row("broker without port", Specs.ipv4().bootstrap("kafka:9092,kafka-1"),
                        "spec.kafka.bootstrapServers: \"kafka-1\" is not host:port: the port is missing"),
                row("port out of range", Specs.ipv4().bootstrap("kafka:65536"),
                        "spec.kafka.bootstrapServers: \"kafka:65536\" is not host:port: the port \"65536\" is not a number"),
                row("IPv6 without brackets", Specs.ipv4().bootstrap("fd00::1:9092"),
                        "spec.kafka.bootstrapServers: \"fd00::1:9092\" is not host:port: an IPv6 address is written in brackets"),
                row("bad IPv4 host", Specs.ipv4().bootstrap("10.0.0.256:9092"),
                        "spec.kafka.bootstrapServers: \"10.0.0.256:9092\" is not host:port: \"10.0.0.256\" is not an IPv4"),
                row("bad host name", Specs.ipv4().bootstrap("kafka_0:9092"),
                        "spec.kafka.bootstrapServers: \"kafka_0:9092\" is not host:port: \"kafka_0\" is not a host name"),
                row("empty entry", Specs.ipv4().bootstrap("kafka:9092,"),
                        "spec.kafka.bootstrapServers: \"\" is not host:port: an entry is empty"),
                row("no DNS address", Specs.ipv4().dnsIps(), "spec.dns.serviceIPs: is required"),
                row("DNS address not an IP", Specs.ipv4().dnsIps("10.96.0.1000"),
                        "spec.dns.serviceIPs[0]: \"10.96.0.1000\" is not an IP address"),
                row("DNS address outside the service CIDR", Specs.ipv4().dnsIps("10.97.0.10"),
                        "spec.dns.serviceIPs[0]: \"10.97.0.10\" is not inside spec.serviceCIDRs[0] 10.96.0.0/16"),
                row("DNS addresses in another order", Specs.dualStack().dnsIps("fd00:10:96::a", "10.96.0.10"),
                        "spec.dns.serviceIPs[0]: \"fd00:10:96::a\" is not inside spec.serviceCIDRs[0] 10.96.0.0/16"),
                row("one DNS address for two families", Specs.dualStack().dnsIps("10.96.0.10"),
                        "spec.dns.serviceIPs: has 1 addresses [10.96.0.10], but spec.serviceCIDRs has 2 CIDRs"),
                row("bad cluster domain", Specs.ipv4().domain("Cluster.Local"),
                        "spec.dns.clusterDomain: \"Cluster.Local\" is not a DNS-1123 subdomain"),
                row("unknown proxy mode", Specs.ipv4().mode("iptables"),
                        "spec.nodeProxy.mode: \"iptables\" is not a node-proxy mode: use nftables or userspace"),
                row("bad class name", Specs.ipv4().className("Netplane_Class"),
                        "spec.ingress.className: \"Netplane_Class\" is not a DNS-1123 subdomain"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void invalid(String why, Specs spec, String message) {
        Validation v = SpecValidator.validate(spec.build());
        assertThat(v.valid()).as(why).isFalse();
        assertThat(v.problems()).as(why).extracting(Problem::reason).containsOnly(SpecValidator.REASON);
        assertThat(v.problems()).as(why).extracting(Problem::type).containsOnly(Problem.Type.Warning);
        assertThat(v.problems()).as(why).extracting(Problem::message).anySatisfy(m -> assertThat(m).startsWith(message));
    }

    @Test
    void everyProblemIsToldAtOnce() {
        Validation v = SpecValidator.validate(Specs.ipv4().serviceCidrs("10.96.0.0/33").bootstrap("kafka")
                .mode("iptables").build());
        assertThat(v.problems()).extracting(Problem::message).hasSize(3);
    }

    @Test
    void missingSpecAndSectionsAreRequiredNotCrashes() {
        assertThat(SpecValidator.validate(null).problems()).extracting(Problem::message).containsExactly("spec: is required");
        Validation empty = SpecValidator.validate(new NetplaneSpec(null, null, null, null, null, null));
        assertThat(empty.problems()).extracting(Problem::message).containsExactly(
                "spec.serviceCIDRs: is required: one CIDR, or two of different IP families",
                "spec.podCIDRs: is required: one CIDR, or two of different IP families",
                "spec.kafka.bootstrapServers: is required: a comma-separated list of host:port",
                "spec.dns.serviceIPs: is required: the DNS Service's ClusterIP per service CIDR");
    }

    @Test
    void theSchemaDefaultsApplyWhenFieldsAreMissing() {
        InstallSettings s = SpecValidator.validate(new NetplaneSpec(List.of("10.96.0.0/16"), List.of("10.244.0.0/16"),
                new NetplaneSpec.Kafka("kafka:9092"), new NetplaneSpec.Dns(null, List.of("10.96.0.10")), null, null))
                .settings().orElseThrow();
        assertThat(s.clusterDomain()).isEqualTo("cluster.local");
        assertThat(s.proxyMode()).isEqualTo("nftables");
        assertThat(s.policyEnforcement()).isTrue();
        assertThat(s.ingressClassName()).isEqualTo("netplane");
        assertThat(s.defaultIngressClass()).isFalse();
    }

    @Test
    void brokersAreTrimmed() {
        assertThat(Specs.ipv4().bootstrap(" a:1 , b:2").settings().bootstrapServers()).isEqualTo("a:1,b:2");
    }

    private static Arguments row(Object... values) {
        return Arguments.of(values);
    }
}
