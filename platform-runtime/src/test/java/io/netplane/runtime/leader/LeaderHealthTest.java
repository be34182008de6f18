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
            "this replica leads, true, 100, true",
            "a standby saw the Lease renewed 10 s ago, false, 10, true",
            "a starting replica within one lease duration (grace), false, 15, true",
            "the holder stopped renewing (or this replica cannot read the Lease) for longer than a lease duration,"
                    + " false, 16, false",
    })
    void readiness(String why, boolean leading, long secondsSinceRenewalSeen, boolean healthy) {
        assertEquals(healthy, LeaderHealth.healthy(leading, T0, T0.plusSeconds(secondsSinceRenewalSeen),
                Duration.ofSeconds(15)), why);
    }
}
