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

class UpstreamSelectorTest {
    static final UpstreamSelector SELECTOR = UpstreamSelector.of(
            Map.of("corp.example", List.of("10.0.0.53"), "lab.corp.example.", List.of("10.1.0.53:5353"),
                    "consul", List.of("[fd00::53]:8600")),
            List.of("192.0.2.53", "192.0.2.54"));

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
        "www.example.com.,192.0.2.53:53",
        "corp.example.,10.0.0.53:53",
        "a.corp.example.,10.0.0.53:53",
        "x.lab.corp.example.,10.1.0.53:5353",  // the longest suffix wins
        "notcorp.example.,192.0.2.53:53",       // label boundary, not string suffix
        "web.service.consul.,[fd00::53]:8600"})
    void longestStubDomainWinsElseDefaults(String name, String first) throws Exception {
        InetSocketAddress a = SELECTOR.select(Name.fromString(name)).get(0);
        String text = a.getAddress() instanceof java.net.Inet6Address
                ? "[" + a.getAddress().getHostAddress().replace("fd00:0:0:0:0:0:0:53", "fd00::53") + "]:" + a.getPort()
                : a.getAddress().getHostAddress() + ":" + a.getPort();
        assertThat(text).isEqualTo(first);
    }

    @Test
    void defaultsKeepTheirOrder() throws Exception {
        assertThat(SELECTOR.select(Name.fromString("example.org."))).extracting(InetSocketAddress::getPort)
                .containsExactly(53, 53);
    }

    @Test
    void resolvConfNameservers() {
        assertThat(UpstreamSelector.nameservers("""
                # comment
                search default.svc.cluster.local svc.cluster.local
                nameserver 10.96.0.10
                nameserver  fd00::10
                options ndots:5
                """)).containsExactly("10.96.0.10", "fd00::10");
    }

    @Test
    void hostNamesAreNotUpstreams() {
        assertThatThrownBy(() -> UpstreamSelector.of(Map.of(), List.of("dns.google"))).isInstanceOf(
                IllegalArgumentException.class).hasMessageContaining("dns.google");
    }
}
