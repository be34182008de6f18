package io.netplane.dns.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ClientAllowListTest {
    static final ClientAllowList DEFAULTS = ClientAllowList.parse(List.of("127.0.0.0/8", "::1/128", "10.0.0.0/8",
            "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7", "fe80::/10"));

    @ParameterizedTest(name = "{0} allowed={1}")
    @CsvSource({"127.0.0.1,true", "10.244.1.5,true", "172.31.255.255,true", "172.32.0.1,false", "192.168.1.1,true",
            "8.8.8.8,false", "::1,true", "fd00::5,true", "2001:db8::1,false", "100.64.0.1,true", "100.128.0.1,false"})
    void defaultsAreLoopbackAndPrivateRanges(String client, boolean allowed) throws Exception {
        assertThat(DEFAULTS.allows(InetAddress.getByName(client))).isEqualTo(allowed);
    }

    @Test
    void aBadEntryIsAnError() {
        assertThatThrownBy(() -> ClientAllowList.parse(List.of("10.0.0.0/33"))).isInstanceOf(IllegalArgumentException.class);
    }
}
