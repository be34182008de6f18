package io.netplane.dns.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.Name;

/** kube-dns's ConfigMap keys, as upstream's "DNS configMap nameserver" e2e tests and users write them. */
class KubeDnsConfigTest {
    static final Map<String, List<String>> START_STUBS = Map.of("corp.internal", List.of("10.0.0.53"));
    static final List<String> START_UPSTREAMS = List.of("10.77.0.1");

    static List<InetSocketAddress> route(KubeDnsConfig c, String name) {
        return c.selector(START_STUBS, START_UPSTREAMS).select(Name.fromConstantString(name));
    }

    static InetSocketAddress at(String ip, int port) {
        return new InetSocketAddress(ip, port);
    }

    @Test
    void stubDomainsAndUpstreamsAsTheE2eTestWritesThem() {
        KubeDnsConfig c = KubeDnsConfig.parse(Map.of(
                "stubDomains", "{\"acme.local\":[\"10.244.1.7\"]}",
                "upstreamNameservers", "[\"10.244.1.7\"]"));
        assertThat(c.stubDomains()).containsExactly(Map.entry("acme.local", List.of("10.244.1.7")));
        assertThat(route(c, "abc.acme.local.")).containsExactly(at("10.244.1.7", 53));
        assertThat(route(c, "widget.local.")).as("upstreamNameservers replace the start-up upstreams")
                .containsExactly(at("10.244.1.7", 53));
        assertThat(route(c, "db.corp.internal.")).as("start-up stub domains stay").containsExactly(at("10.0.0.53", 53));
    }

    @Test
    void portsIpv6AndTheConfigMapWinningForADomainBothName() {
        KubeDnsConfig c = KubeDnsConfig.parse(Map.of(
                "stubDomains", "{\"corp.internal.\":[\"[fd00::53]:5353\", \"10.1.1.1:1053\"]}"));
        assertThat(route(c, "db.corp.internal.")).containsExactly(at("fd00::53", 5353), at("10.1.1.1", 1053));
        assertThat(route(c, "www.example.com.")).as("no upstreamNameservers: the start-up upstreams")
                .containsExactly(at("10.77.0.1", 53));
    }

    @Test
    void absentOrEmptyKeysAndOtherKeysChangeNothing() {
        assertThat(KubeDnsConfig.parse(Map.of())).isEqualTo(KubeDnsConfig.EMPTY);
        assertThat(KubeDnsConfig.parse(Map.of("stubDomains", " ", "upstreamNameservers", "",
                "federations", "{\"myfed\":\"example.com\"}"))).isEqualTo(KubeDnsConfig.EMPTY);
        assertThat(route(KubeDnsConfig.EMPTY, "www.example.com.")).containsExactly(at("10.77.0.1", 53));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "stubDomains|{\"acme.local\":[\"10.0.0.1\"]|stubDomains: not valid JSON",
        "stubDomains|[\"10.0.0.1\"]|stubDomains: not valid JSON of the expected shape",
        "stubDomains|{\"Acme_Local\":[\"10.0.0.1\"]}|\"Acme_Local\" is not a DNS subdomain",
        "stubDomains|{\"acme.local\":[]}|stubDomains[acme.local]: needs at least one name server",
        "stubDomains|{\"acme.local\":[\"ns1.acme.local\"]}|\"ns1.acme.local\" is not a name server",
        "upstreamNameservers|[\"10.0.0.1\",\"10.0.0.2\",\"10.0.0.3\",\"10.0.0.4\"]|at most 3 name servers, got 4",
        "upstreamNameservers|[\"10.0.0.1:99999\"]|\"10.0.0.1:99999\" is not a name server",
        "upstreamNameservers|{\"a\":1}|upstreamNameservers: not valid JSON of the expected shape",
    })
    void badContentIsRefusedWithTheKeyAndTheReason(String key, String value, String message) {
        assertThatThrownBy(() -> KubeDnsConfig.parse(Map.of(key, value)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }
}
