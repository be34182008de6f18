package io.netplane.proxy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConntrackTimeoutsTest {
    private static final Map<String, Long> KERNEL_DEFAULTS = Map.of(
            ConntrackTimeouts.TCP_CLOSE_WAIT, 60L, ConntrackTimeouts.TCP_ESTABLISHED, 432_000L);

    @Test
    void kubeProxysDefaultsReplaceTheKernelsDefaults() {
        assertThat(ConntrackTimeouts.writes(Duration.ofHours(1), Duration.ofHours(24),
                n -> Optional.ofNullable(KERNEL_DEFAULTS.get(n)))).containsExactly(
                        Map.entry(ConntrackTimeouts.TCP_CLOSE_WAIT, 3600L),
                        Map.entry(ConntrackTimeouts.TCP_ESTABLISHED, 86_400L));
    }

    @Test
    void aValueAlreadySetIsNotWrittenAgainAndZeroLeavesTheKernelsValue() {
        assertThat(ConntrackTimeouts.writes(Duration.ofHours(1), Duration.ZERO,
                n -> Optional.of(3600L))).isEmpty();
    }

    @Test
    void anUnreadableValueIsWritten() {
        assertThat(ConntrackTimeouts.writes(Duration.ofMinutes(5), Duration.ZERO, n -> Optional.empty()))
                .containsExactly(Map.entry(ConntrackTimeouts.TCP_CLOSE_WAIT, 300L));
    }

    @Test
    void aNegativeTimeoutIsRefused() {
        assertThatThrownBy(() -> ConntrackTimeouts.writes(Duration.ofSeconds(-1), Duration.ZERO,
                n -> Optional.empty())).hasMessageContaining("cannot be negative");
    }
}
