package io.netplane.ingress.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The Kubernetes "Hostname wildcards" table plus exact-host and case rows. */
class HostMatcherTest {

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("*.foo.com", "bar.foo.com", true),
                Arguments.of("*.foo.com", "baz.bar.foo.com", false),
                Arguments.of("*.foo.com", "foo.com", false),
                Arguments.of("foo.bar.com", "foo.bar.com", true),
                Arguments.of("foo.bar.com", "bar.com", false),
                Arguments.of("foo.bar.com", "FOO.bar.COM", true),
                Arguments.of("*.foo.com", "BAR.Foo.com", true),
                Arguments.of("*.foo.com", "xfoo.com", false),
                Arguments.of(null, "anything.example", true),
                Arguments.of(null, null, true),
                Arguments.of("foo.bar.com", null, false));
    }

    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @MethodSource("rows")
    void matches(String rule, String host, boolean expected) {
        assertThat(HostMatcher.matches(rule, host)).isEqualTo(expected);
    }
}
