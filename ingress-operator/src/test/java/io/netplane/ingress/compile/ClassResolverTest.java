package io.netplane.ingress.compile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClassResolverTest {

    static final String US = "netplane.io/ingress-controller";
    static final IngressClassInput OURS = new IngressClassInput("netplane", US, false, Instant.EPOCH);
    static final IngressClassInput OURS_DEFAULT = new IngressClassInput("netplane", US, true, Instant.EPOCH);
    static final IngressClassInput NGINX = new IngressClassInput("nginx", "k8s.io/ingress-nginx", false, Instant.EPOCH);
    static final IngressClassInput NGINX_DEFAULT = new IngressClassInput("nginx", "k8s.io/ingress-nginx", true, Instant.EPOCH);

    static IngressInput ingress(String className, String annotation) {
        return new IngressInput("default", "web", "1", Instant.EPOCH, className,
                annotation == null ? Map.of() : Map.of(ClassResolver.LEGACY_ANNOTATION, annotation), null, List.of(), List.of());
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                // field, legacy annotation, classes, expected class, source, ours
                Arguments.of("netplane", null, List.of(OURS, NGINX), "netplane", "field", true),
                Arguments.of("nginx", null, List.of(OURS, NGINX), "nginx", "field", false),
                Arguments.of("missing", null, List.of(OURS), "missing", "field", false),
                // the field wins over the annotation
                Arguments.of("nginx", "netplane", List.of(OURS, NGINX), "nginx", "field", false),
                Arguments.of(null, "netplane", List.of(OURS, NGINX), "netplane", "annotation", true),
                Arguments.of(null, "nginx", List.of(OURS_DEFAULT, NGINX), "nginx", "annotation", false),
                // neither: the default class
                Arguments.of(null, null, List.of(OURS_DEFAULT, NGINX), "netplane", "default", true),
                Arguments.of(null, null, List.of(OURS, NGINX_DEFAULT), "nginx", "default", false),
                Arguments.of(null, null, List.of(OURS, NGINX), null, "none", false),
                // two defaults: no class (the docs: admission refuses such Ingresses)
                Arguments.of(null, null, List.of(OURS_DEFAULT, NGINX_DEFAULT), null, "default", false),
                Arguments.of("", "", List.of(OURS_DEFAULT), "netplane", "default", true));
    }

    @ParameterizedTest(name = "field={0} annotation={1} -> {3} via {4}, ours={5}")
    @MethodSource("rows")
    void resolves(String field, String annotation, List<IngressClassInput> classes, String expected, String source,
            boolean ours) {
        ClassResolution r = ClassResolver.resolve(ingress(field, annotation), classes, US);
        assertThat(r.className()).isEqualTo(expected);
        assertThat(r.source()).isEqualTo(source);
        assertThat(r.ours()).isEqualTo(ours);
    }

    @org.junit.jupiter.api.Test
    void twoDefaultsIncludingOursIsReported() {
        ClassResolution r = ClassResolver.resolve(ingress(null, null), List.of(OURS_DEFAULT, NGINX_DEFAULT), US);
        assertThat(r.problem().reason()).isEqualTo("AmbiguousDefaultClass");
        assertThat(r.problem().message()).contains("netplane", "nginx");
    }
}
