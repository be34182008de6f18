package io.netplane.api.names;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KubernetesNamesTest {

    @ParameterizedTest(name = "label \"{0}\": {1}")
    @CsvSource({"my-name, true", "123-abc, true", "a, true", "My-Name, false", "-a, false", "a-, false", "a.b, false",
        "a_b, false", "'', false",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, true",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, false"})
    void dns1123Label(String s, boolean valid) {
        assertThat(KubernetesNames.isDns1123Label(s)).isEqualTo(valid);
    }

    @ParameterizedTest(name = "subdomain \"{0}\": {1}")
    @CsvSource({"example.com, true", "a.b.c, true", "a..b, false", ".a, false", "a., false", "Example.com, false",
        "a-b.c-d, true"})
    void dns1123Subdomain(String s, boolean valid) {
        assertThat(KubernetesNames.isDns1123Subdomain(s)).isEqualTo(valid);
    }

    @ParameterizedTest(name = "port name \"{0}\": {1}")
    @CsvSource({"http, true", "http-alt, true", "h2c, true", "dns-tcp, true", "123, false", "Http, false", "-http, false",
        "http-, false", "ht--tp, false", "abcdefghijklmnop, false", "abcdefghijklmno, true", "'', false"})
    void portName(String s, boolean valid) {
        assertThat(KubernetesNames.isPortName(s)).isEqualTo(valid);
    }
}
