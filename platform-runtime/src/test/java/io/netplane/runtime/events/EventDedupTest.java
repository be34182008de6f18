package io.netplane.runtime.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netplane.api.report.Problem;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventDedupTest {
    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");
    private static final Subject SVC = new Subject("v1", "Service", "default", "web", "u1");
    private static final Problem BAD_IP = Problem.warning("InvalidPodIP", "Pod IP 1.2.3 is not valid");
    private static final Problem NO_PORT = Problem.warning("NoPort", "no port");

    private final EventDedup dedup = new EventDedup();

    @Test
    void theSameProblemIsWrittenOncePerWindow() {
        assertThat(dedup.admit(SVC, BAD_IP, T0)).isTrue();
        assertThat(dedup.admit(SVC, BAD_IP, T0.plusSeconds(60))).isFalse();
        assertThat(dedup.admit(SVC, BAD_IP, T0.plus(EventDedup.WINDOW).minusMillis(1))).isFalse();
        assertThat(dedup.admit(SVC, BAD_IP, T0.plus(EventDedup.WINDOW))).isTrue();
    }

    @Test
    void anotherReasonMessageTypeOrObjectIsWrittenAtOnce() {
        assertThat(dedup.admit(SVC, BAD_IP, T0)).isTrue();
        assertThat(dedup.admit(SVC, NO_PORT, T0)).isTrue();
        assertThat(dedup.admit(SVC, Problem.warning("InvalidPodIP", "Pod IP 1.2.4 is not valid"), T0)).isTrue();
        assertThat(dedup.admit(SVC, Problem.normal("InvalidPodIP", "Pod IP 1.2.3 is not valid"), T0)).isTrue();
        assertThat(dedup.admit(new Subject("v1", "Service", "other", "web", "u2"), BAD_IP, T0)).isTrue();
        assertThat(dedup.admit(new Subject("v1", "Pod", "default", "web", "u3"), BAD_IP, T0)).isTrue();
    }

    @Test
    void aResolvedProblemThatComesBackIsToldAgain() {
        dedup.admit(SVC, BAD_IP, T0);
        dedup.admit(SVC, NO_PORT, T0);
        dedup.resolveAllBut(SVC, List.of(NO_PORT));
        assertThat(dedup.admit(SVC, NO_PORT, T0.plusSeconds(1))).isFalse();
        assertThat(dedup.admit(SVC, BAD_IP, T0.plusSeconds(1))).isTrue();
    }

    @Test
    void aProblemTheApiRefusedIsWrittenNextTime() {
        dedup.admit(SVC, BAD_IP, T0);
        dedup.admit(SVC, NO_PORT, T0);
        dedup.unadmit(SVC, BAD_IP);
        assertThat(dedup.admit(SVC, BAD_IP, T0.plusSeconds(1))).isTrue();
        assertThat(dedup.admit(SVC, NO_PORT, T0.plusSeconds(1))).isFalse();
    }

    @Test
    void aForgottenObjectIsToldAfresh() {
        dedup.admit(SVC, BAD_IP, T0);
        dedup.forget(SVC);
        assertThat(dedup.size()).isZero();
        assertThat(dedup.admit(SVC, BAD_IP, T0.plusSeconds(1))).isTrue();
    }

    @Test
    void oldEntriesArePrunedOnceThereAreMany() {
        for (int i = 0; i <= 10_000; i++) {
            dedup.admit(new Subject("v1", "Pod", "ns", "p" + i, "u" + i), BAD_IP, T0);
        }
        dedup.admit(SVC, BAD_IP, T0.plus(EventDedup.WINDOW).plusSeconds(1));
        assertThat(dedup.size()).isEqualTo(1);
    }

    @Test
    void anEventReasonIsOneUpperCamelCaseWord() {
        assertThatThrownBy(() -> Problem.warning("invalid ip", "m")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("UpperCamelCase");
        assertThatThrownBy(() -> Problem.warning("", "m")).isInstanceOf(IllegalArgumentException.class);
    }
}
