package io.netplane.endpoints.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EndpointsConfigTest {
    @ParameterizedTest(name = "max-endpoints-per-slice {0} valid: {1}")
    @CsvSource({"0,false", "1,true", "100,true", "1000,true", "1001,false", "-5,false"})
    void maxEndpointsPerSliceIsBetweenOneAndAThousand(int value, boolean valid) {
        assertThat(EndpointsConfig.problems(value).isEmpty()).isEqualTo(valid);
        if (!valid) {
            assertThat(EndpointsConfig.problems(value).get(0)).contains("max-endpoints-per-slice", "" + value);
        }
    }
}
