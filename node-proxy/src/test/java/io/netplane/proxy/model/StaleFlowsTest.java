package io.netplane.proxy.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.api.net.IpFamily;
import io.netplane.proxy.model.StaleFlows.FlowDelete;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which conntrack entries go after a change, per kube-proxy's CleanStaleEntries (UDP only). */
class StaleFlowsTest {
    static final NodeTopology NODE = new NodeTopology("node-a", null, true);
    static final Endpoint A = Endpoint.ready("10.0.0.1", 53, false);
    static final Endpoint B = Endpoint.ready("10.0.0.2", 53, false);

    static PlannedPort port(String protocol, int nodePort, Endpoint... eps) {
        return new PlannedPort(new ServicePort("ns", "dns", "p", protocol, IpFamily.IPv4, "10.96.0.10", 53, nodePort,
                List.of("192.0.2.1"), List.of(), List.of(), false, 0, false, false, 0), List.of(eps));
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("UDP endpoint removed: flows to every Service address answered by it",
                        List.of(port("udp", 30053, A, B)), List.of(port("udp", 30053, B)),
                        List.of(new FlowDelete("udp", "10.96.0.10", 53, "10.0.0.1"),
                                new FlowDelete("udp", "192.0.2.1", 53, "10.0.0.1"),
                                new FlowDelete("udp", null, 30053, "10.0.0.1"))),
                Arguments.of("UDP port gets its first endpoint: every flow to it (left by rejects)",
                        List.of(port("udp", 0)), List.of(port("udp", 0, A)),
                        List.of(new FlowDelete("udp", "10.96.0.10", 53, null), new FlowDelete("udp", "192.0.2.1", 53, null))),
                Arguments.of("endpoint added to a served port: nothing",
                        List.of(port("udp", 0, A)), List.of(port("udp", 0, A, B)), List.of()),
                Arguments.of("TCP endpoint removed: nothing (TCP flows end on their own)",
                        List.of(port("tcp", 0, A, B)), List.of(port("tcp", 0, B)), List.of()),
                Arguments.of("Service deleted: flows to its endpoints go",
                        List.of(port("udp", 0, A)), List.of(),
                        List.of(new FlowDelete("udp", "10.96.0.10", 53, "10.0.0.1"),
                                new FlowDelete("udp", "192.0.2.1", 53, "10.0.0.1"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void staleFlows(String name, List<PlannedPort> before, List<PlannedPort> after, List<FlowDelete> expected) {
        assertThat(StaleFlows.between(before, after, NODE)).containsExactlyInAnyOrderElementsOf(expected);
    }
}
