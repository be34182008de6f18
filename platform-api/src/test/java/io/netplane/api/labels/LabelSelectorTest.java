package io.netplane.api.labels;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.api.labels.LabelSelector.Operator;
import io.netplane.api.labels.LabelSelector.Requirement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LabelSelectorTest {
    private static final Map<String, String> WEB = Map.of("app", "web", "tier", "frontend");

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("empty selector matches everything", LabelSelector.EVERYTHING, Map.of(), true),
                Arguments.of("matchLabels equal", LabelSelector.of(Map.of("app", "web")), WEB, true),
                Arguments.of("matchLabels different value", LabelSelector.of(Map.of("app", "db")), WEB, false),
                Arguments.of("matchLabels missing key", LabelSelector.of(Map.of("env", "prod")), WEB, false),
                Arguments.of("In hit", expr("tier", Operator.In, "frontend", "backend"), WEB, true),
                Arguments.of("In miss", expr("tier", Operator.In, "backend"), WEB, false),
                Arguments.of("In on absent key", expr("env", Operator.In, "prod"), WEB, false),
                Arguments.of("NotIn hit", expr("tier", Operator.NotIn, "backend"), WEB, true),
                Arguments.of("NotIn miss", expr("tier", Operator.NotIn, "frontend"), WEB, false),
                Arguments.of("NotIn on absent key matches", expr("env", Operator.NotIn, "prod"), WEB, true),
                Arguments.of("Exists", expr("app", Operator.Exists), WEB, true),
                Arguments.of("Exists absent", expr("env", Operator.Exists), WEB, false),
                Arguments.of("DoesNotExist", expr("env", Operator.DoesNotExist), WEB, true),
                Arguments.of("DoesNotExist present", expr("app", Operator.DoesNotExist), WEB, false),
                Arguments.of("terms are ANDed", new LabelSelector(Map.of("app", "web"),
                        List.of(new Requirement("tier", Operator.In, List.of("backend")))), WEB, false),
                Arguments.of("null labels are no labels", expr("app", Operator.DoesNotExist), null, true));
    }

    private static LabelSelector expr(String key, Operator op, String... values) {
        return new LabelSelector(Map.of(), List.of(new Requirement(key, op, List.of(values))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matches(String name, LabelSelector selector, Map<String, String> labels, boolean expected) {
        assertThat(selector.matches(labels)).isEqualTo(expected);
        assertThat(selector.validate()).isEmpty();
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of(expr("app", Operator.In), "must be specified"),
                Arguments.of(expr("app", Operator.Exists, "x"), "may not be specified"),
                Arguments.of(expr("-bad", Operator.Exists), "name part"),
                Arguments.of(expr("Example.com/app", Operator.Exists), "prefix part"),
                Arguments.of(LabelSelector.of(Map.of("app", "not valid")), "valid label value"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void validationNamesTheProblem(LabelSelector selector, String message) {
        assertThat(selector.validate()).anySatisfy(e -> assertThat(e).contains(message));
    }

    @org.junit.jupiter.api.Test
    void canonicalFormIsIndependentOfOrder() {
        LabelSelector a = new LabelSelector(Map.of("b", "2", "a", "1"),
                List.of(new Requirement("x", Operator.In, List.of("q", "p")), new Requirement("y", Operator.Exists, null)));
        LabelSelector b = new LabelSelector(Map.of("a", "1", "b", "2"),
                List.of(new Requirement("y", Operator.Exists, null), new Requirement("x", Operator.In, List.of("p", "q"))));
        assertThat(a.canonical()).isEqualTo(b.canonical()).isEqualTo("a=1,b=2,x in (p,q),y");
    }
}
