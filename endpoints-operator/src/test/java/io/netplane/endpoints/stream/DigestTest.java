package io.netplane.endpoints.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.api.events.NodeView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A restart or a Node heartbeat must not republish what a consumer already has. */
class DigestTest {
    private static NodeView node(String rv, Instant at, String zone) {
        return new NodeView("n1", "u", rv, at, List.of(), zone, List.of(), true, 1000, Map.of());
    }

    @Test
    void ignoresResourceVersionAndObservedAt() {
        assertThat(Digest.of(node("1", Instant.EPOCH, "a")))
                .isEqualTo(Digest.of(node("99", Instant.parse("2026-01-01T00:00:00Z"), "a")));
    }

    @Test
    void seesEveryOtherField() {
        assertThat(Digest.of(node("1", Instant.EPOCH, "a"))).isNotEqualTo(Digest.of(node("1", Instant.EPOCH, "b")));
    }
}
