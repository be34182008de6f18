package io.netplane.install.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigHashTest {
    @Test
    void equalDataEqualHashWhateverTheOrder() {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("A", "1");
        a.put("B", "2");
        Map<String, String> b = new LinkedHashMap<>();
        b.put("B", "2");
        b.put("A", "1");
        assertThat(ConfigHash.of(a)).isEqualTo(ConfigHash.of(b)).hasSize(16).matches("[0-9a-f]+");
        assertThat(ConfigHash.of(Map.of("A", "1", "B", "3"))).isNotEqualTo(ConfigHash.of(a));
        // a value cannot pass for a key
        assertThat(ConfigHash.of(Map.of("A", "1\nB=2"))).isNotEqualTo(ConfigHash.of(Map.of("A", "1", "B", "2")));
    }

    @ParameterizedTest(name = "recorded {0}, now {1}: restart {2}")
    @CsvSource(nullValues = "none", value = {
            // a fresh install: the components started before the ConfigMap existed
            "none, abc, true",
            "abc, abc, false",
            "abc, def, true"})
    void restartDecision(String recorded, String current, boolean restart) {
        assertThat(ConfigHash.restartNeeded(recorded, current)).isEqualTo(restart);
    }
}
