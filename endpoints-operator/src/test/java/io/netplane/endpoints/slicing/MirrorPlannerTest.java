package io.netplane.endpoints.slicing;

import static io.netplane.endpoints.slicing.Fixtures.describe;
import static io.netplane.endpoints.slicing.Fixtures.reasons;
import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.endpoints.legacy.LegacyEndpoints;
import io.netplane.endpoints.legacy.LegacyEndpoints.Address;
import io.netplane.endpoints.legacy.LegacyEndpoints.Port;
import io.netplane.endpoints.legacy.LegacyEndpoints.Subset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** EndpointSlice mirroring of a user-made Endpoints object for a Service without a selector. */
class MirrorPlannerTest {
    private static final SliceService OWNER = SliceService.mirrorOf("ext", "db", "ep-uid", Map.of("team", "data"));
    private static final SlicePlanner.Settings SETTINGS =
            new SlicePlanner.Settings(MirrorPlanner.DEFAULT_MAX_ENDPOINTS_PER_SLICE, MirrorPlanner.MANAGED_BY);
    private static final List<Port> PG = List.of(new Port("pg", 5432, "TCP", null));

    private static Address addr(String ip) {
        return new Address(ip, null, null, null);
    }

    private static List<Address> addrs(int n) {
        List<Address> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(addr("192.168." + (i / 250) + "." + (i % 250 + 1)));
        }
        return out;
    }

    private static LegacyEndpoints endpoints(Subset... subsets) {
        return new LegacyEndpoints(Map.of("team", "data"), false, List.of(subsets));
    }

    static Stream<Arguments> rows() {
        LegacyEndpoints simple = endpoints(new Subset(List.of(addr("192.168.0.1"), addr("192.168.0.2")),
                List.of(addr("192.168.0.3")), PG));
        Slice mirrored = MirrorPlanner.plan(OWNER, simple, List.of(), SETTINGS).creates().get(0);
        Slice existing = new Slice("db-abc", mirrored.addressType(), mirrored.ports(), mirrored.endpoints(),
                mirrored.labels(), mirrored.ownerServiceUids());
        return Stream.of(
                Arguments.of("ready and not-ready addresses in one slice", simple, List.of(), "+IPv4:3", List.of()),
                Arguments.of("already mirrored: nothing to write", simple, List.of(existing), "nothing", List.of()),
                Arguments.of("Endpoints gone: mirrored slices go", null, List.of(existing), "-db-abc", List.of()),
                Arguments.of("one address removed: update in place",
                        endpoints(new Subset(List.of(addr("192.168.0.1")), List.of(addr("192.168.0.3")), PG)),
                        List.of(existing), "~db-abc:2", List.of()),
                Arguments.of("IPv4 and IPv6 addresses: a slice per family",
                        endpoints(new Subset(List.of(addr("192.168.0.1"), addr("FD00::1")), List.of(), PG)),
                        List.of(), "+IPv4:1 +IPv6:1", List.of()),
                Arguments.of("two subsets with different ports: two slices",
                        endpoints(new Subset(List.of(addr("192.168.0.1")), List.of(), PG),
                                new Subset(List.of(addr("192.168.0.2")), List.of(),
                                        List.of(new Port("pg", 5433, "TCP", null)))),
                        List.of(), "+IPv4:1 +IPv4:1", List.of()),
                Arguments.of("more than 1000 addresses in a subset: 1000 mirrored, Event",
                        endpoints(new Subset(addrs(1500), List.of(), PG)), List.of(), "+IPv4:1000",
                        List.of("AddressesTruncated")),
                Arguments.of("an address that is not an IP: left out, Event",
                        endpoints(new Subset(List.of(addr("192.168.0.1"), addr("db.example.com")), List.of(), PG)),
                        List.of(), "+IPv4:1", List.of("InvalidAddress")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void mirrorsLikeUpstream(String name, LegacyEndpoints endpoints, List<Slice> existing, String expected,
            List<String> events) {
        SlicePlan plan = MirrorPlanner.plan(OWNER, endpoints, existing, SETTINGS);
        assertThat(describe(plan)).isEqualTo(expected);
        assertThat(reasons(plan)).isEqualTo(events);
    }

    @Test
    void mirroredSlicesCarryTheMirroringLabelsAndConditions() {
        LegacyEndpoints e = endpoints(new Subset(List.of(addr("192.168.0.1")), List.of(addr("192.168.0.2")), PG));
        Slice s = MirrorPlanner.plan(OWNER, e, List.of(), SETTINGS).creates().get(0);
        assertThat(s.labels()).isEqualTo(Map.of("team", "data", SliceLabels.SERVICE_NAME, "db",
                SliceLabels.MANAGED_BY, "endpointslicemirroring-controller.k8s.io"));
        assertThat(s.ownerServiceUids()).containsExactly("ep-uid");
        assertThat(s.endpoints()).extracting(x -> x.addresses().get(0) + (x.ready() ? " ready" : " not-ready"))
                .containsExactly("192.168.0.1 ready", "192.168.0.2 not-ready");
    }

    static Stream<Arguments> mirrorable() {
        return Stream.of(
                Arguments.of("a user's Endpoints object", Map.of(), true),
                Arguments.of("skip-mirror: \"true\"", Map.of(MirrorPlanner.SKIP_MIRROR_LABEL, "true"), false),
                Arguments.of("skip-mirror with another value is mirrored",
                        Map.of(MirrorPlanner.SKIP_MIRROR_LABEL, "false"), true),
                Arguments.of("written by this operator's endpoints controller",
                        Map.of(LegacyEndpoints.MANAGED_BY_LABEL, LegacyEndpoints.MANAGED_BY), false),
                Arguments.of("written by another endpoints controller",
                        Map.of(LegacyEndpoints.MANAGED_BY_LABEL, "someone-else"), true));
    }

    @ParameterizedTest(name = "{0}: mirrored {2}")
    @MethodSource("mirrorable")
    void mirrorsOnlyEndpointsTheMirroringControllerMay(String name, Map<String, String> labels, boolean mirrored) {
        assertThat(MirrorPlanner.isMirrorable(new LegacyEndpoints(labels, false, List.of()))).isEqualTo(mirrored);
    }

    @Test
    void noEndpointsObjectIsNothingToMirror() {
        assertThat(MirrorPlanner.isMirrorable(null)).isFalse();
        assertThat(MirrorPlanner.owner("ext", "db", null, null).uid()).isEmpty();
    }

    @Test
    void theOwnerIsLabelledLikeTheEndpointsWithoutSkipMirror() {
        SliceService owner = MirrorPlanner.owner("ext", "db", "ep-uid", new LegacyEndpoints(
                Map.of("team", "data", MirrorPlanner.SKIP_MIRROR_LABEL, "false"), false, List.of()));
        assertThat(owner.labels()).isEqualTo(Map.of("team", "data"));
        assertThat(owner.uid()).isEqualTo("ep-uid");
        assertThat(owner.name()).isEqualTo("db");
        assertThat(owner.headless()).as("mirrored slices never get the headless label").isFalse();
    }
}
