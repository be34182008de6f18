package io.netplane.runtime.leader;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LeaderHealthTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "a leader (this one or another) is known, true, 100, true",
            "no leader yet but within one lease duration, false, 15, true",
            "no leader for longer than the lease duration, false, 16, false",
    })
    void readiness(String why, boolean known, long secondsSince, boolean healthy) {
        assertEquals(healthy, LeaderHealth.healthy(known, T0, T0.plusSeconds(secondsSince), Duration.ofSeconds(15)),
                why);
    }
}
