package io.netplane.ipam.range;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The NodePort allocator and {@code --service-node-port-range} parsing. */
class NodePortRangeTest {

    @ParameterizedTest(name = "{0} -> {1}..{2}")
    @CsvSource({
            "30000-32767, 30000, 32767",
            "30000+2767,  30000, 32767",
            "8080,        8080,  8080",
            "1-65535,     1,     65535",
    })
    void parses(String text, int first, int last) {
        PortRange r = PortRange.parse(text);
        assertThat(r.base()).isEqualTo(first);
        assertThat(r.last()).isEqualTo(last);
    }

    @ParameterizedTest(name = "\"{0}\" is rejected")
    @CsvSource({"32767-30000", "0-100", "65000-70000", "abc", "30000-", "''"})
    void rejectsBadRanges(String text) {
        assertThatThrownBy(() -> PortRange.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("port range");
    }

    @Test
    void defaultRange() {
        NodePortRange r = new NodePortRange(PortRange.DEFAULT_NODE_PORTS, new Random(1));
        assertThat(r.size()).isEqualTo(2768);
        assertThat(r.lowerBandEnd()).isEqualTo(30085); // 2768/32 = 86 ports reserved for requests
    }

    @Test
    void requestedOutOfRangeOrTakenIsRejected() {
        NodePortRange r = new NodePortRange(PortRange.DEFAULT_NODE_PORTS, new Random(1));
        assertThatThrownBy(() -> r.allocate(8080)).hasMessage(
                "provided port is not in the valid range. The range of valid ports is 30000-32767");
        r.allocate(30080);
        assertThatThrownBy(() -> r.allocate(30080)).hasMessage("provided port is already allocated");
        assertThat(r.release(30080)).isTrue();
        r.allocate(30080);
    }

    @Test
    void automaticPortsPreferTheUpperBandAndNeverRepeat() {
        NodePortRange r = new NodePortRange(PortRange.parse("30000-30099"), new Random(3)); // band 16
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 84; i++) {
            int p = r.allocateNext();
            assertThat(p).isBetween(30016, 30099);
            assertThat(seen.add(p)).isTrue();
        }
        for (int i = 0; i < 16; i++) {
            assertThat(r.allocateNext()).isBetween(30000, 30015);
        }
        assertThatThrownBy(r::allocateNext).isInstanceOfSatisfying(AllocationException.class,
                e -> assertThat(e.reason()).isEqualTo(AllocationException.Reason.FULL));
    }
}
