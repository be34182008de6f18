package io.netplane.ingress.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestHostTest {

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("foo.bar.com", "foo.bar.com", null),
                Arguments.of("Foo.Bar.COM", "foo.bar.com", null),
                Arguments.of("foo.bar.com:8080", "foo.bar.com", 8080),
                Arguments.of("foo.bar.com.", "foo.bar.com", null),
                Arguments.of("foo.bar.com.:443", "foo.bar.com", 443),
                Arguments.of("127.0.0.1:80", "127.0.0.1", 80),
                Arguments.of("[::1]:8443", "[::1]", 8443),
                Arguments.of("[2001:DB8::1]", "[2001:db8::1]", null),
                Arguments.of("localhost", "localhost", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void parses(String header, String name, Integer port) {
        RequestHost host = RequestHost.parse(header);
        assertThat(host.name()).isEqualTo(name);
        assertThat(host.port()).isEqualTo(port);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "foo bar.com", "foo..com", "user@foo.com", "foo.com/x", "foo.com:", "foo.com:99999",
        "foo.com:8o", "[::1", "[zz::1]:80", "[::1]x", "foo.com:80:80", ".foo.com", "a\tb"})
    void rejectsMalformed(String header) {
        assertThatThrownBy(() -> RequestHost.parse(header)).isInstanceOf(IllegalArgumentException.class);
    }
}
