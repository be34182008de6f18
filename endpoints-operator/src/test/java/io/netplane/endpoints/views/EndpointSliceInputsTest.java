package io.netplane.endpoints.views;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointSliceInputsTest {
    private static EndpointSlice slice(Map<String, String> labels) {
        return new EndpointSliceBuilder().withNewMetadata().withNamespace("ns").withName("web-1")
                .withLabels(labels).endMetadata().withAddressType("IPv4")
                .addNewEndpoint().withAddresses("10.0.0.1").endEndpoint().build();
    }

    @Test
    void carriesTheLabelsProxiesSelectOn() {
        var plain = EndpointSliceInputs.from(slice(Map.of("kubernetes.io/service-name", "web")), Instant.EPOCH);
        assertThat(plain.headless()).isFalse();
        assertThat(plain.serviceProxyName()).isNull();

        var labelled = EndpointSliceInputs.from(slice(Map.of("kubernetes.io/service-name", "web",
                "service.kubernetes.io/headless", "", "service.kubernetes.io/service-proxy-name", "other")),
                Instant.EPOCH);
        assertThat(labelled.headless()).isTrue();
        assertThat(labelled.serviceProxyName()).isEqualTo("other");
        assertThat(labelled.endpoints()).singleElement()
                .satisfies(e -> assertThat(e.addresses()).containsExactly("10.0.0.1"));
    }
}
