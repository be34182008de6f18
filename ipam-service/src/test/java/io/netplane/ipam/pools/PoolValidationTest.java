package io.netplane.ipam.pools;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.api.net.Cidr;
import io.netplane.api.labels.LabelSelector;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Pool validation: each row is a new pool "b" checked next to an older valid pool "a" (192.0.2.0/28). */
class PoolValidationTest {
    static final List<AddressBlock> RESERVED = List.of(AddressBlock.of(Cidr.parse("10.96.0.0/16")));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "198.51.100.0/28                  | -",
            "198.51.100.10-198.51.100.20      | -",
            "198.51.100.0/28;2001:db8::/120   | -",
            "198.51.100.1/28                  | InvalidAddresses",     // host bits set
            "198.51.100.20-198.51.100.10      | InvalidAddresses",     // end before start
            "198.51.100.1-2001:db8::1         | InvalidAddresses",     // mixed families
            "not-an-ip                        | InvalidAddresses",
            "198.51.100.0/28;198.51.100.8/29  | OverlappingAddresses",
            "192.0.2.8-192.0.2.30             | OverlapsPool",
            "10.96.10.0/24                    | OverlapsReservedRange",
            "10.0.0.0/8                       | OverlapsReservedRange",
            "100.64.0.0/10                    | TooLarge",
            "''                               | NoAddresses",
    })
    void verdicts(String addresses, String reason) {
        PoolDefinition a = new PoolDefinition("a", "2026-01-01T00:00:00Z", List.of("192.0.2.0/28"), null, null);
        List<String> entries = addresses.isEmpty() ? List.of() : Arrays.asList(addresses.split(";"));
        PoolDefinition b = new PoolDefinition("b", "2026-01-02T00:00:00Z", entries, null, null);
        List<PoolVerdict> v = PoolValidation.validate(List.of(b, a), RESERVED);
        assertThat(v.get(0).pool().name()).as("older pool first").isEqualTo("a");
        assertThat(v.get(0).valid()).isTrue();
        PoolVerdict vb = v.get(1);
        if ("-".equals(reason)) {
            assertThat(vb.valid()).as(vb.message()).isTrue();
        } else {
            assertThat(vb.reason()).isEqualTo(reason);
            assertThat(vb.message()).startsWith("spec.addresses");
            assertThat(vb.blocks()).as("nothing allocated from an invalid pool").isEmpty();
        }
    }

    @Test
    void unreadableSelectorsMakeOnlyThatPoolInvalid() {
        LabelSelector bad = new LabelSelector(java.util.Map.of(), List.of(
                new LabelSelector.Requirement("tier", LabelSelector.Operator.In, List.of())));
        List<PoolVerdict> v = PoolValidation.validate(List.of(
                new PoolDefinition("ok", "1", List.of("192.0.2.0/28"), null, null),
                new PoolDefinition("bad", "2", List.of("198.51.100.0/28"), bad, null),
                new PoolDefinition("unknown-op", "3", List.of("203.0.113.0/28"), null, null,
                        "selector: \"Near\" is not a valid label selector operator")), RESERVED);
        assertThat(v).extracting(PoolVerdict::reason).containsExactly(null, "InvalidSelector", "InvalidSelector");
        assertThat(v.get(1).message()).contains("matchExpressions[0]");
    }
}
