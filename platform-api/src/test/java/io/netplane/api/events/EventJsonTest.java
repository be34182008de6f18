package io.netplane.api.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventJsonTest {
    private static final Instant T = Instant.parse("2026-11-30T12:00:00.123Z");

    @Test
    void serviceRoundTripsAndNullCollectionsBecomeEmpty() {
        ServiceView s = new ServiceView("default", "web", "u1", "42", T, "ClusterIP", List.of("10.96.0.10", "fd00::a"),
                false, List.of("IPv4", "IPv6"), "PreferDualStack", Map.of("app", "web"),
                List.of(new ServiceView.ServicePortView("http", "TCP", 80, "http", null, null)),
                null, null, null, null, "None", null, "Cluster", "Cluster", null, false, null, null);
        ServiceView back = EventJson.read(EventJson.write(s), ServiceView.class);
        assertThat(back).isEqualTo(s);
        assertThat(back.externalIPs()).isEmpty();
        assertThat(back.key()).isEqualTo("default/web");
    }

    @Test
    void serviceWithoutSelectorKeepsNullSelector() {
        ServiceView s = EventJson.read("{\"namespace\":\"a\",\"name\":\"b\",\"type\":\"ClusterIP\"}"
                .getBytes(StandardCharsets.UTF_8), ServiceView.class);
        assertThat(s.selector()).isNull();
        assertThat(s.ports()).isEmpty();
    }

    @Test
    void unknownFieldsAreIgnored() {
        NodeView n = EventJson.read("{\"name\":\"n1\",\"fromTheFuture\":{\"x\":1},\"ready\":true}"
                .getBytes(StandardCharsets.UTF_8), NodeView.class);
        assertThat(n.name()).isEqualTo("n1");
        assertThat(n.ready()).isTrue();
        assertThat(n.key()).isEqualTo("n1");
    }

    @Test
    void malformedJsonIsAClearError() {
        assertThatThrownBy(() -> EventJson.read("{\"name\":".getBytes(StandardCharsets.UTF_8), NodeView.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("malformed NodeView");
    }

    @Test
    void instantsAreIsoText() {
        String json = new String(EventJson.write(new AllocationView("ip-10-96-0-1", "7", T, "ClusterIP", "10.96.0.1",
                "IPv4", "service-cidr", new ObjectRef("Service", "default", "kubernetes", "u"))), StandardCharsets.UTF_8);
        assertThat(json).contains("\"observedAt\":\"2026-11-30T12:00:00.123Z\"");
    }
}
