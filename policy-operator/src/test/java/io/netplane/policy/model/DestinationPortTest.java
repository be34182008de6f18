package io.netplane.policy.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.api.events.PodView.ContainerPortView;
import io.netplane.api.net.IpAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The explain API's port: a number, or a name resolved like a NetworkPolicy's named port against the destination
 * Pod's container ports for the protocol.
 */
class DestinationPortTest {
    private static final Endpoint POD = Endpoint.of(new PodInfo("x", "a", Map.of(), List.of("10.0.0.1"), "n",
            List.of(new ContainerPortView("http", 8080, "TCP"), new ContainerPortView("dns", 53, "UDP"),
                    new ContainerPortView("metrics", 9090, null)), false));
    private static final Endpoint OUTSIDE = Endpoint.external(IpAddress.parse("192.0.2.1"));

    @ParameterizedTest(name = "{0}: port={1} {2} -> {3} / {4}")
    @CsvSource(nullValues = "<none>", delimiter = '|', value = {
            "a number | 80 | TCP | 80 | <none>",
            "the highest port | 65535 | TCP | 65535 | <none>",
            "zero | 0 | TCP | 0 | must be between 1 and 65535",
            "too large | 65536 | TCP | 0 | must be between 1 and 65535",
            "far too large | 99999999999999 | TCP | 0 | must be between 1 and 65535",
            "a name of the Pod's TCP port | http | TCP | 8080 | <none>",
            "a name declared without protocol is TCP | metrics | TCP | 9090 | <none>",
            "a name of a UDP port asked for UDP | dns | UDP | 53 | <none>",
            "a UDP port's name asked for TCP | dns | TCP | 0 | has no container port named \"dns\" for TCP",
            "a name the Pod does not declare | grpc | TCP | 0 | has no container port named \"grpc\"",
            "not a valid port name | not_a_port! | TCP | 0 | neither a number nor a valid port name",
            "missing | <none> | TCP | 0 | \"port\" is required"})
    void resolvesAgainstThePod(String why, String text, String protocol, int port, String problem) {
        DestinationPort r = DestinationPort.resolve(text, Protocol.parse(protocol), POD);
        assertThat(r.port()).isEqualTo(port);
        if (problem == null) {
            assertThat(r.problem()).isNull();
        } else {
            assertThat(r.problem()).contains(problem);
        }
    }

    @ParameterizedTest(name = "outside destination, port={0}")
    @CsvSource({"80,80,false", "http,0,true"})
    void aNamedPortNeedsAPodDestination(String text, int port, boolean problem) {
        DestinationPort r = DestinationPort.resolve(text, Protocol.TCP, OUTSIDE);
        assertThat(r.port()).isEqualTo(port);
        assertThat(r.problem() != null).isEqualTo(problem);
    }
}
