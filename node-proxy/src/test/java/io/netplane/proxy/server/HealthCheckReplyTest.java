package io.netplane.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.proxy.server.HealthCheckServers.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The healthCheckNodePort answer, as kube-proxy's health server gives it ({@code pkg/proxy/healthcheck}). */
class HealthCheckReplyTest {
    @ParameterizedTest(name = "{0} local endpoints: {1}, weight {2}")
    @CsvSource({"0,503,0", "1,200,1", "3,200,3"})
    void statusAndWeightFollowTheLocalEndpoints(int local, int status, String weight) {
        HealthCheckServers.Reply r = HealthCheckServers.reply(new Target("shop", "web", local));
        assertThat(r.status()).isEqualTo(status);
        assertThat(r.headers()).containsEntry("X-Load-Balancing-Endpoint-Weight", weight)
                .containsEntry("Content-Type", "application/json")
                .containsEntry("X-Content-Type-Options", "nosniff");
        assertThat(r.body()).isEqualTo("{\"service\":{\"namespace\":\"shop\",\"name\":\"web\"},\"localEndpoints\":"
                + local + ",\"serviceProxyHealthy\":true}");
    }

    @org.junit.jupiter.api.Test
    void aPortBeingClosedAnswersUnavailableWithWeightZero() {
        assertThat(HealthCheckServers.reply(null).status()).isEqualTo(503);
        assertThat(HealthCheckServers.reply(null).headers()).containsEntry("X-Load-Balancing-Endpoint-Weight", "0");
    }
}
