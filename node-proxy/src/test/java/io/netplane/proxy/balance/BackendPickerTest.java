package io.netplane.proxy.balance;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.proxy.model.Endpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackendPickerTest {
    static final Endpoint A = Endpoint.ready("10.0.0.1", 80, false);
    static final Endpoint B = Endpoint.ready("10.0.0.2", 80, false);
    static final Endpoint C = Endpoint.ready("10.0.0.3", 80, false);
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void roundRobinStartsAtTheNextEndpointEachTimeAndListsTheRestAsFallbacks() {
        BackendPicker p = new BackendPicker(Duration.ZERO);
        p.update(List.of(A, B, C));
        assertThat(p.candidates("1.1.1.1", T0)).containsExactly(A, B, C);
        assertThat(p.candidates("1.1.1.1", T0)).containsExactly(B, C, A);
        assertThat(p.candidates("2.2.2.2", T0)).containsExactly(C, A, B);
        assertThat(p.candidates("2.2.2.2", T0)).containsExactly(A, B, C);
    }

    @Test
    void clientIpAffinityHoldsUntilTheTimeoutPassesWithoutUse() {
        BackendPicker p = new BackendPicker(Duration.ofSeconds(10));
        p.update(List.of(A, B, C));
        p.candidates("1.1.1.1", T0);
        p.connected("1.1.1.1", B, T0);
        assertThat(p.candidates("1.1.1.1", T0.plusSeconds(9)).get(0)).isEqualTo(B);
        p.connected("1.1.1.1", B, T0.plusSeconds(9));
        assertThat(p.candidates("1.1.1.1", T0.plusSeconds(18)).get(0)).as("refreshed by use").isEqualTo(B);
        assertThat(p.candidates("1.1.1.1", T0.plusSeconds(40))).as("expired: round-robin again").hasSize(3);
        assertThat(p.candidates("9.9.9.9", T0.plusSeconds(1)).get(0)).as("other clients not affected").isNotNull();
    }

    @Test
    void affinityToARemovedEndpointIsForgotten() {
        BackendPicker p = new BackendPicker(Duration.ofSeconds(10));
        p.update(List.of(A, B));
        p.connected("1.1.1.1", B, T0);
        p.update(List.of(A, C));
        assertThat(p.candidates("1.1.1.1", T0)).containsExactlyInAnyOrder(A, C);
    }

    @Test
    void noEndpointsNoCandidates() {
        assertThat(new BackendPicker(Duration.ZERO).candidates("1.1.1.1", T0)).isEmpty();
    }
}
