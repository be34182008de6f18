package io.netplane.endpoints.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.netplane.api.events.NodeView;
import io.netplane.endpoints.legacy.EndpointsPlan;
import io.netplane.endpoints.slicing.Slice;
import io.netplane.endpoints.slicing.SlicePlanner;
import io.netplane.endpoints.slicing.SlicePod;
import io.netplane.endpoints.slicing.SliceService;
import io.netplane.endpoints.slicing.ZoneCapacity;
import io.netplane.endpoints.views.LegacyInputs;
import io.netplane.endpoints.views.NodeInputs;
import io.netplane.endpoints.views.PodInputs;
import io.netplane.endpoints.views.SliceInputs;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files, as Kroxylicious' {@code DerivedResourcesTest}: each directory under {@code golden/} is a case whose
 * {@code in-*.yaml} files (Kubernetes YAML, several documents per file allowed) hold one Service and its Pods, Nodes
 * and Endpoints object; the objects the planners derive from them, through the same edge mappers the operator uses
 * (Pods trimmed as the informer caches them), must equal the {@code out-<Kind>-<name>.yaml} files: the EndpointSlices
 * and the legacy Endpoints object to create. A missing output file fails the case, and so does an output file no
 * derived object used. An optional {@code case.properties} sets {@code max-endpoints-per-slice} (default 100).
 *
 * <p>The API server names created slices ({@code generateName: <service>-}), so a derived slice has no name: the
 * n-th slice created (in plan order, which is stable) is compared with {@code out-EndpointSlice-<service>-<n>.yaml},
 * whose object carries the {@code generateName} and no name. Run with {@code -Dgolden.update=true} to (re)write the
 * output files of every case into {@code src/test/resources/golden}; read them against the Kubernetes documentation
 * before keeping them.
 */
class DerivedResourcesTest {
    private static final KubernetesSerialization YAML = new KubernetesSerialization();
    private static final String MANAGED_BY = "endpointslice-controller.k8s.io";
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");

    static Stream<String> cases() throws IOException, URISyntaxException {
        try (Stream<Path> dirs = Files.list(root())) {
            return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    private static Path root() throws URISyntaxException {
        return Path.of(Objects.requireNonNull(DerivedResourcesTest.class.getResource("/golden")).toURI());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void derivesWhatTheGoldenFilesHold(String name) throws Exception {
        Path dir = root().resolve(name);
        Map<String, HasMetadata> derived = derive(readInputs(dir), settings(dir));
        if (UPDATE) {
            write(Path.of("src/test/resources/golden", name), derived);
        }
        TreeSet<String> outputs = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString()).filter(f -> f.startsWith("out-") && f.endsWith(".yaml"))
                    .forEach(outputs::add);
        }
        List<String> problems = new ArrayList<>();
        derived.forEach((file, object) -> {
            if (!outputs.remove(file)) {
                problems.add("missing " + file + ":\n" + YAML.asYaml(object));
                return;
            }
            String expected = normalized(YAML.unmarshal(read(dir.resolve(file)), object.getClass()));
            String actual = normalized(object);
            if (!expected.equals(actual)) {
                problems.add(file + " differs; derived:\n" + YAML.asYaml(object));
            }
        });
        outputs.forEach(unused -> problems.add(unused + " is no derived object's"));
        if (!problems.isEmpty()) {
            fail(name + ":\n" + String.join("\n", problems));
        }
        assertThat(derived.keySet()).allMatch(f -> f.startsWith("out-"));
    }

    /** The objects to create, by their output file name. */
    private static Map<String, HasMetadata> derive(List<HasMetadata> in, SlicePlanner.Settings settings) {
        Service service = only(in, Service.class);
        Endpoints endpoints = in.stream().filter(Endpoints.class::isInstance).map(Endpoints.class::cast)
                .findFirst().orElse(null);
        List<SlicePod> pods = in.stream().filter(Pod.class::isInstance)
                .map(p -> PodInputs.slicePod(PodInputs.trim((Pod) p))).toList();
        Map<String, NodeView> nodes = new LinkedHashMap<>();
        in.stream().filter(Node.class::isInstance).map(n -> NodeInputs.from((Node) n, null))
                .forEach(n -> nodes.put(n.name(), n));
        SliceService svc = SliceInputs.service(service);
        String created = service.getMetadata().getCreationTimestamp();
        ServiceState state = new ServiceState(svc.namespace(), svc.name(), svc,
                created == null ? null : OffsetDateTime.parse(created).toInstant(), pods, nodes,
                ZoneCapacity.of(nodes.values()), List.of(), List.of(),
                endpoints == null ? null : LegacyInputs.from(endpoints),
                endpoints == null ? null : endpoints.getMetadata().getUid(), null);
        ServicePlan plan = ServicePlanner.plan(state, settings);
        assertThat(plan.slices().updates()).as("a cold start updates nothing").isEmpty();
        assertThat(plan.mirrored().updates()).isEmpty();

        Map<String, HasMetadata> out = new LinkedHashMap<>();
        Instant trigger = plan.trigger() == null ? null : plan.trigger().triggerTime();
        List<EndpointSlice> slices = new ArrayList<>();
        for (Slice s : plan.slices().creates()) {
            slices.add(SliceInputs.withTriggerTime(SliceInputs.toNew(svc, s), trigger));
        }
        for (Slice s : plan.mirrored().creates()) {
            slices.add(SliceInputs.toNew(plan.mirrorOwner(), s, "Endpoints", svc.name()));
        }
        for (int i = 0; i < slices.size(); i++) {
            out.put("out-EndpointSlice-" + slices.get(i).getMetadata().getGenerateName() + (i + 1) + ".yaml",
                    slices.get(i));
        }
        EndpointsPlan legacy = plan.endpoints();
        if (legacy.op() == EndpointsPlan.Op.CREATE || legacy.op() == EndpointsPlan.Op.UPDATE) {
            out.put("out-Endpoints-" + svc.name() + ".yaml",
                    LegacyInputs.to(svc.namespace(), svc.name(), endpoints, legacy.endpoints()));
        }
        return out;
    }

    private static <T> T only(List<HasMetadata> in, Class<T> kind) {
        List<T> found = in.stream().filter(kind::isInstance).map(kind::cast).toList();
        assertThat(found).as("exactly one " + kind.getSimpleName() + " among the inputs").hasSize(1);
        return found.get(0);
    }

    private static List<HasMetadata> readInputs(Path dir) throws IOException {
        List<HasMetadata> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("in-")).sorted().toList()) {
                for (String doc : read(f).split("(?m)^---\\s*$")) {
                    if (!doc.isBlank()) {
                        Object o = YAML.unmarshal(doc);
                        assertThat(o).as(f + ": a Kubernetes object").isInstanceOf(HasMetadata.class);
                        assertThat(o).as(f + ": a Service, Pod, Node or Endpoints").isInstanceOfAny(Service.class,
                                Pod.class, Node.class, Endpoints.class);
                        out.add((HasMetadata) o);
                    }
                }
            }
        }
        return out;
    }

    private static SlicePlanner.Settings settings(Path dir) throws IOException {
        Properties p = new Properties();
        Path file = dir.resolve("case.properties");
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            }
        }
        return new SlicePlanner.Settings(Integer.parseInt(p.getProperty("max-endpoints-per-slice", "100")),
                MANAGED_BY);
    }

    /** The object as its YAML says it, so that absent, null and empty compare alike on both sides. */
    private static String normalized(Object o) {
        return YAML.asJson(sorted(YAML.unmarshal(YAML.asYaml(o), Map.class)));
    }

    private static Object sorted(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> out = new java.util.TreeMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), sorted(v)));
            return out;
        }
        if (o instanceof List<?> l) {
            return l.stream().map(DerivedResourcesTest::sorted).toList();
        }
        return o;
    }

    private static void write(Path dir, Map<String, HasMetadata> derived) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("out-")).toList()) {
                Files.delete(f);
            }
        }
        Map<String, String> texts = new HashMap<>();
        derived.forEach((file, object) -> texts.put(file, YAML.asYaml(object)));
        for (var e : texts.entrySet()) {
            Files.writeString(dir.resolve(e.getKey()), e.getValue());
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
