package io.netplane.ingress.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestPathTest {

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("/foo", "/foo"),
                Arguments.of("/foo?x=1&y=/bar", "/foo"),
                Arguments.of("/foo#frag", "/foo"),
                Arguments.of("/%66oo", "/foo"),
                Arguments.of("/foo%2Fbar", "/foo%2Fbar"),
                Arguments.of("/foo%2fbar", "/foo%2Fbar"),
                Arguments.of("/a%20b", "/a%20b"),
                Arguments.of("/a/./b", "/a/b"),
                Arguments.of("/a/b/../c", "/a/c"),
                Arguments.of("/../../etc", "/etc"),
                Arguments.of("/a/b/..", "/a/"),
                Arguments.of("/a/%2E%2E/b", "/b"),
                Arguments.of("/", "/"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("rows")
    void normalizes(String target, String expected) {
        assertThat(RequestPath.normalize(target)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "foo", "*", "/a%zz", "/a%2"})
    void rejects(String target) {
        assertThatThrownBy(() -> RequestPath.normalize(target)).isInstanceOf(IllegalArgumentException.class);
    }
}
