package io.netplane.endpoints.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EndpointsConfigTest {
    @ParameterizedTest(name = "max-endpoints-per-slice {0} valid: {1}")
    @CsvSource({"0,false", "1,true", "100,true", "1000,true", "1001,false", "-5,false"})
    void maxEndpointsPerSliceIsBetweenOneAndAThousand(int value, boolean valid) {
        assertThat(EndpointsConfig.problems(value, EndpointsConfig.DEFAULT_MANAGED_BY).isEmpty()).isEqualTo(valid);
        if (!valid) {
            assertThat(EndpointsConfig.problems(value, EndpointsConfig.DEFAULT_MANAGED_BY).get(0)).contains("max-endpoints-per-slice", "" + value);
        }
    }

    @ParameterizedTest(name = "managed-by \"{0}\" valid: {1}")
    @CsvSource({"endpointslice-controller.k8s.io,true", "endpoints-operator.netplane.io,true", "'',false",
            "endpointslicemirroring-controller.k8s.io,false", "has space,false", "-leading-dash,false",
            "a-value-that-is-longer-than-sixty-three-characters-which-labels-refuse,false"})
    void managedByIsALabelValueThatIsNotTheMirroringControllers(String value, boolean valid) {
        assertThat(EndpointsConfig.problems(100, value).isEmpty()).isEqualTo(valid);
    }
}
