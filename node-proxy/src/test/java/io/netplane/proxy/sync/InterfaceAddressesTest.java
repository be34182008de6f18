package io.netplane.proxy.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InterfaceAddressesTest {
    @Test
    void readsTheAddressesOfIpAddrShow() {
        String out = """
                1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
                1: lo    inet6 ::1/128 scope host noprefixroute \\       valid_lft forever preferred_lft forever
                2: eth0    inet 192.168.240.1/24 brd 192.168.240.255 scope global eth0\\       valid_lft forever
                3: vy    inet6 fd00:241::1/64 scope global nodad \\       valid_lft forever preferred_lft forever
                """;
        assertThat(InterfaceAddresses.parse(out)).containsExactly("127.0.0.1", "::1", "192.168.240.1",
                "fd00:241::1");
    }
}
