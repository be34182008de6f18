package io.netplane.proxy.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.api.net.IpFamily;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * kube-proxy's --nodeport-addresses (nftables mode) on a node whose Node object lists InternalIPs 192.168.1.10,
 * 192.168.1.11, fd00::10 and ExternalIP 203.0.113.5, and whose interfaces also carry 10.20.0.7 (not on the Node
 * object) and loopback.
 */
class NodePortAddressesTest {
    static final List<String> INTERNAL = List.of("192.168.1.10", "192.168.1.11", "fd00::10");
    static final List<String> NODE = List.of("192.168.1.10", "192.168.1.11", "fd00::10", "203.0.113.5");
    static final List<String> INTERFACES = List.of("127.0.0.1", "192.168.1.10", "192.168.1.11", "10.20.0.7",
            "203.0.113.5", "::1", "fd00::10");

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("unset means primary: the first InternalIP of the family", List.of(), IpFamily.IPv4,
                        List.of("192.168.1.10")),
                Arguments.of("primary, IPv6 table", List.of("primary"), IpFamily.IPv6, List.of("fd00::10")),
                Arguments.of("a CIDR picks the interface addresses inside it", List.of("192.168.0.0/16"),
                        IpFamily.IPv4, List.of("192.168.1.10", "192.168.1.11")),
                Arguments.of("... including one the Node object does not list", List.of("10.20.0.0/16"),
                        IpFamily.IPv4, List.of("10.20.0.7")),
                Arguments.of("0.0.0.0/0: every local address (null = matched by fib)", List.of("0.0.0.0/0"),
                        IpFamily.IPv4, null),
                Arguments.of("::/0 does not open the IPv4 table", List.of("::/0"), IpFamily.IPv4, List.of()),
                Arguments.of("loopback is never used", List.of("127.0.0.0/8", "203.0.113.0/24"), IpFamily.IPv4,
                        List.of("203.0.113.5")),
                Arguments.of("CIDRs of the other family select nothing here", List.of("fd00::/64"), IpFamily.IPv4,
                        List.of()),
                Arguments.of("IPv6 CIDR", List.of("fd00::/64"), IpFamily.IPv6, List.of("fd00::10")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void selects(String name, List<String> config, IpFamily family, List<String> expected) {
        assertThat(NodePortAddresses.select(config, INTERNAL, NODE, INTERFACES, family).addresses())
                .isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void primaryWithoutAnInternalIpOfTheFamilyFallsBackToTheExternalIp() {
        assertThat(NodePortAddresses.select(List.of(), List.of("fd00::10"), List.of("fd00::10", "203.0.113.5"),
                List.of(), IpFamily.IPv4).addresses()).containsExactly("203.0.113.5");
    }

    static Stream<Arguments> problems() {
        return Stream.of(
                Arguments.of("no Node object (or no address on it): primary answers nowhere, and says so", List.of(),
                        List.of(), List.of(), INTERFACES, "NodePorts answer on no IPv4 address: the Node object lists no IPv4"),
                Arguments.of("a CIDR no interface address is in", List.of("172.16.0.0/12"), INTERNAL, NODE,
                        INTERFACES, "no interface address of this node is inside 172.16.0.0/12"),
                Arguments.of("no entry of the family", List.of("fd00::/64"), INTERNAL, NODE, INTERFACES,
                        "nodeport-addresses has no IPv4 entry"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("problems")
    void saysWhyNodePortsAnswerNowhere(String name, List<String> config, List<String> internal, List<String> node,
            List<String> interfaces, String problem) {
        NodePortAddresses.Selection s = NodePortAddresses.select(config, internal, node, interfaces, IpFamily.IPv4);
        assertThat(s.addresses()).isEmpty();
        assertThat(s.problem()).contains(problem);
    }

    @org.junit.jupiter.api.Test
    void answeringSomewhereIsNoProblem() {
        assertThat(NodePortAddresses.select(List.of(), INTERNAL, NODE, List.of(), IpFamily.IPv4).problem()).isNull();
        assertThat(NodePortAddresses.select(List.of("0.0.0.0/0"), List.of(), List.of(), List.of(), IpFamily.IPv4)
                .problem()).isNull();
    }
}
