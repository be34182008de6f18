package io.netplane.proxy.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.api.net.IpFamily;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** kube-proxy's --nodeport-addresses on a node with InternalIP 192.168.1.10 and ExternalIP 203.0.113.5. */
class NodePortAddressesTest {
    static final List<String> INTERNAL = List.of("192.168.1.10", "fd00::10");
    static final List<String> ALL = List.of("192.168.1.10", "fd00::10", "203.0.113.5", "127.0.0.1");

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("unset: every local address (null = match by fib)", List.of(), IpFamily.IPv4, null),
                Arguments.of("a CIDR picks the node addresses inside it", List.of("192.168.0.0/16"), IpFamily.IPv4,
                        List.of("192.168.1.10")),
                Arguments.of("primary: the node's InternalIPs of this family", List.of("primary"), IpFamily.IPv4,
                        List.of("192.168.1.10")),
                Arguments.of("loopback is never used", List.of("127.0.0.0/8", "203.0.113.0/24"), IpFamily.IPv4,
                        List.of("203.0.113.5")),
                Arguments.of("CIDRs of the other family select nothing here", List.of("fd00::/64"), IpFamily.IPv4,
                        List.of()),
                Arguments.of("IPv6 table", List.of("fd00::/64"), IpFamily.IPv6, List.of("fd00::10")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void selects(String name, List<String> config, IpFamily family, List<String> expected) {
        assertThat(NodePortAddresses.select(config, INTERNAL, ALL, family)).isEqualTo(expected);
    }
}
