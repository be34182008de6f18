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

    @Test
    void ipSetHeadersAndShardsRoundTripAndKeyByForm() {
        IpSetView.MemberView m = new IpSetView.MemberView("x/a", List.of("10.1.0.1"), "n1", List.of());
        IpSetView inline = new IpSetView("np-1", "5", T, "x/app=a", List.of(m));
        IpSetView header = new IpSetView("np-1", "6", T, "x/app=a", List.of(), List.of("np-1#0-2-aa", "np-1#1-2-bb"), null);
        IpSetView shard = new IpSetView("np-1", "6", T, null, List.of(m), List.of(), new IpSetView.ShardView(1, 2, "bb"));
        for (IpSetView v : List.of(inline, header, shard)) {
            assertThat(EventJson.read(EventJson.write(v), IpSetView.class)).isEqualTo(v);
        }
        assertThat(inline.key()).isEqualTo("np-1");
        assertThat(inline.sharded()).isFalse();
        assertThat(header.key()).isEqualTo("np-1");
        assertThat(header.sharded()).isTrue();
        assertThat(shard.key()).isEqualTo("np-1#1-2-bb");
        assertThat(IpSetView.isShardKey(shard.key())).isTrue();
        assertThat(IpSetView.isShardKey(header.key())).isFalse();
        assertThat(IpSetView.setOfShardKey(shard.key())).isEqualTo("np-1");
        assertThat(new String(EventJson.write(inline), StandardCharsets.UTF_8)).as("no shard field on an inline set")
                .doesNotContain("\"shard\"").doesNotContain("sharded");
    }

    @Test
    void anIpSetFromAnOlderProducerIsInline() {
        IpSetView v = EventJson.read("{\"name\":\"np-1\",\"members\":[{\"pod\":\"x/a\",\"ips\":[\"10.1.0.1\"]}]}"
                .getBytes(StandardCharsets.UTF_8), IpSetView.class);
        assertThat(v.shards()).isEmpty();
        assertThat(v.shard()).isNull();
        assertThat(v.key()).isEqualTo("np-1");
        assertThat(v.members()).hasSize(1);
    }
}
