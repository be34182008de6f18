package io.netplane.ingress.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Single-path rows of the Kubernetes Ingress "Examples" table, plus edge cases. */
class PathMatcherTest {

    static Stream<Arguments> rows() {
        return Stream.of(
                // kind, rule path, request path, matches (docs table)
                Arguments.of("Prefix", "/", "/", true),
                Arguments.of("Prefix", "/", "/anything/at/all", true),
                Arguments.of("Exact", "/foo", "/foo", true),
                Arguments.of("Exact", "/foo", "/bar", false),
                Arguments.of("Exact", "/foo", "/foo/", false),
                Arguments.of("Exact", "/foo/", "/foo", false),
                Arguments.of("Prefix", "/foo", "/foo", true),
                Arguments.of("Prefix", "/foo", "/foo/", true),
                Arguments.of("Prefix", "/foo/", "/foo", true),
                Arguments.of("Prefix", "/foo/", "/foo/", true),
                Arguments.of("Prefix", "/aaa/bb", "/aaa/bbb", false),
                Arguments.of("Prefix", "/aaa/bbb", "/aaa/bbb", true),
                Arguments.of("Prefix", "/aaa/bbb/", "/aaa/bbb", true),
                Arguments.of("Prefix", "/aaa/bbb", "/aaa/bbb/", true),
                Arguments.of("Prefix", "/aaa/bbb", "/aaa/bbb/cc", true),
                Arguments.of("Prefix", "/aaa/bbb", "/aaa/bbbxyz", false),
                Arguments.of("Prefix", "/aaa", "/cc", false),
                // the note under the table
                Arguments.of("Prefix", "/foo/bar", "/foo/bar/baz", true),
                Arguments.of("Prefix", "/foo/bar", "/foo/barbaz", false),
                // edge cases: case sensitivity, ImplementationSpecific as Prefix, repeated slashes
                Arguments.of("Exact", "/Foo", "/foo", false),
                Arguments.of("Prefix", "/Foo", "/foo", false),
                Arguments.of("ImplementationSpecific", "/aaa", "/aaa/b", true),
                Arguments.of("ImplementationSpecific", "/aaa", "/aaab", false),
                Arguments.of("Prefix", "/aaa/bbb", "/aaa//bbb/c", true),
                Arguments.of("Exact", "/aaa/bbb", "/aaa//bbb", false),
                Arguments.of("Prefix", "/aaa/bbb/cc", "/aaa/bbb", false));
    }

    @ParameterizedTest(name = "{0} {1} vs {2} -> {3}")
    @MethodSource("rows")
    void matchesAsTheDocsSay(String kind, String rulePath, String requestPath, boolean expected) {
        assertThat(PathMatcher.matches(PathType.parse(kind), rulePath, requestPath)).isEqualTo(expected);
    }
}
