package io.netplane.endpoints.slicing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Rows from upstream's {@code trigger_time_tracker_test.go}, times as seconds after T0. */
class TriggerTimesTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static Instant t(int seconds) {
        return T0.plusSeconds(seconds);
    }

    static Stream<Arguments> rows() {
        TriggerTimes.State synced = new TriggerTimes.State(t(0), Map.of("pod-a", t(1), "pod-b", t(2)));
        return Stream.of(
                Arguments.of("a Service never synced: its creation time", null, t(0), Map.of("pod-a", t(5)), t(0)),
                Arguments.of("nothing changed: no trigger time", synced, t(0),
                        Map.of("pod-a", t(1), "pod-b", t(2)), null),
                Arguments.of("one Pod turned ready: its transition time", synced, t(0),
                        Map.of("pod-a", t(1), "pod-b", t(7)), t(7)),
                Arguments.of("two Pods changed: the earlier of the two", synced, t(0),
                        Map.of("pod-a", t(9), "pod-b", t(7)), t(7)),
                Arguments.of("a new Pod: its transition time", synced, t(0),
                        Map.of("pod-a", t(1), "pod-b", t(2), "pod-c", t(4)), t(4)),
                Arguments.of("a Pod gone: nothing to report", synced, t(0), Map.of("pod-a", t(1)), null),
                Arguments.of("the Service recreated under the same name: its new creation time", synced, t(3),
                        Map.of("pod-a", t(1), "pod-b", t(2)), t(3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void computesLikeUpstream(String why, TriggerTimes.State previous, Instant created, Map<String, Instant> pods,
            Instant expected) {
        TriggerTimes.Result r = TriggerTimes.compute(previous, created, pods);
        assertThat(r.triggerTime()).isEqualTo(expected);
        assertThat(r.next()).isEqualTo(new TriggerTimes.State(created, pods));
    }
}
