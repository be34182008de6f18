package io.netplane.ingress.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netplane.ingress.routing.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DefaultBackendParseTest {

    @Test
    void parsesNamedAndNumberedPorts() {
        assertThat(GatewayService.parseBackend("ingress/default:http")).isEqualTo(new Backend("ingress", "default", null, "http"));
        assertThat(GatewayService.parseBackend("ingress/default:8080")).isEqualTo(new Backend("ingress", "default", 8080, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"default:http", "/svc:http", "ns/svc", "ns/svc:", "ns/:80"})
    void rejectsMalformed(String text) {
        assertThatThrownBy(() -> GatewayService.parseBackend(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("namespace/service:port");
    }
}
