package io.netplane.dns.records;

import static io.netplane.dns.records.Views.endpoint;
import static io.netplane.dns.records.Views.epPort;
import static io.netplane.dns.records.Views.port;
import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.api.events.EndpointSliceView;
import io.netplane.api.events.EndpointSliceView.EndpointView;
import io.netplane.api.events.PodView;
import io.netplane.api.events.ServiceView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * The incremental zone against the whole-zone plan: after every batch of random changes over a small set of
 * Services, slices and Pods that collide on purpose (shared addresses, Pods naming a subdomain that comes and goes,
 * bad names and addresses), the snapshot must be exactly what {@link ZonePlanner#plan} makes of the same objects.
 */
class ZoneIndexTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final ZoneSettings SETTINGS = ZoneTable.settings(PodMode.VERIFIED);
    private static final String[] NAMES = {"web", "db", "api", "Bad_Name"};
    private static final String[] NAMESPACES = {"default", "prod"};

    private final Map<String, ServiceView> services = new LinkedHashMap<>();
    private final Map<String, EndpointSliceView> slices = new LinkedHashMap<>();
    private final Map<String, PodView> pods = new LinkedHashMap<>();
    private final ZoneIndex index = new ZoneIndex(SETTINGS);
    private long serial = 1;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void randomChangesGiveWhatTheWholeZonePlanGives(long seed) {
        Random random = new Random(seed);
        for (int batch = 0; batch < 60; batch++) {
            int changes = 1 + random.nextInt(6);
            for (int i = 0; i < changes; i++) {
                change(random);
            }
            assertSameAsPlan("seed " + seed + " batch " + batch);
        }
    }

    @Test
    void aPodsHostnameRecordFollowsItsHeadlessServiceAndThatServicesSlices() {
        PodView pod = pod("default", "p1", "host", "web", true, false, "10.1.0.5");
        index.putPod("default/p1", pod);
        pods.put("default/p1", pod);
        Name host = name("host.web.default.svc.cluster.local.");
        assertThat(snapshot().at(host)).isEmpty();

        ServiceView headless = Views.headless("default", "web", false);
        index.putService(headless);
        services.put(headless.key(), headless);
        assertThat(snapshot().at(host).get(Type.A)).hasSize(1);

        // a bad address in a slice rejects the headless Service, and with it the Pod's hostname record
        EndpointSliceView bad = Views.slice("default", "web-x", "web", "IPv4", List.of(),
                endpoint(null, true, "not-an-ip"));
        index.putSlice("default/web-x", bad);
        slices.put("default/web-x", bad);
        assertThat(snapshot().at(host)).isEmpty();
        assertSameAsPlan("bad slice");

        index.removeSlice("default/web-x");
        slices.remove("default/web-x");
        assertThat(snapshot().at(host).get(Type.A)).hasSize(1);
        assertSameAsPlan("slice gone");
    }

    @Test
    void recordsTwoObjectsShareStayUntilTheLastOneGoes() {
        // an endpoint hostname record and a Pod hostname record for the same name and address
        ServiceView headless = Views.headless("default", "web", false);
        EndpointSliceView slice = Views.slice("default", "web-1", "web", "IPv4", List.of(),
                endpoint("host", true, "10.1.0.5"));
        PodView pod = pod("default", "p1", "host", "web", true, false, "10.1.0.5");
        index.putService(headless);
        index.putSlice("default/web-1", slice);
        index.putPod("default/p1", pod);
        Name host = name("host.web.default.svc.cluster.local.");
        assertThat(snapshot().at(host).get(Type.A)).hasSize(1);
        index.removePod("default/p1");
        assertThat(snapshot().at(host).get(Type.A)).hasSize(1);
        index.removeSlice("default/web-1");
        ZoneRecords zone = snapshot();
        assertThat(zone.at(host)).isEmpty();
        assertThat(zone.exists(host)).isFalse();
        assertThat(zone.exists(name("web.default.svc.cluster.local."))).isFalse();
        assertThat(zone.exists(name("svc.cluster.local."))).isTrue();
    }

    private ZoneRecords snapshot() {
        return index.snapshot(++serial);
    }

    private void change(Random random) {
        String ns = NAMESPACES[random.nextInt(NAMESPACES.length)];
        String name = NAMES[random.nextInt(NAMES.length)];
        switch (random.nextInt(3)) {
            case 0 -> {
                String key = ns + "/" + name;
                if (random.nextInt(4) == 0) {
                    services.remove(key);
                    index.removeService(key);
                } else {
                    ServiceView svc = service(random, ns, name);
                    services.put(key, svc);
                    index.putService(svc);
                }
            }
            case 1 -> {
                String key = ns + "/" + name + "-" + random.nextInt(2);
                if (random.nextInt(4) == 0) {
                    slices.remove(key);
                    index.removeSlice(key);
                } else {
                    // a slice may move to another Service of the namespace
                    String service = NAMES[random.nextInt(NAMES.length)];
                    EndpointSliceView slice = slice(random, ns, key.substring(ns.length() + 1), service);
                    slices.put(key, slice);
                    index.putSlice(key, slice);
                }
            }
            default -> {
                String key = ns + "/pod-" + random.nextInt(4);
                if (random.nextInt(4) == 0) {
                    pods.remove(key);
                    index.removePod(key);
                } else {
                    String subdomain = random.nextBoolean() ? NAMES[random.nextInt(NAMES.length)] : null;
                    String hostname = random.nextInt(5) == 0 ? "Bad_Host" : "h" + random.nextInt(2);
                    PodView pod = pod(ns, key.substring(ns.length() + 1), hostname, subdomain, random.nextBoolean(),
                            random.nextInt(4) == 0, address(random));
                    pods.put(key, pod);
                    index.putPod(key, pod);
                }
            }
        }
    }

    private static ServiceView service(Random random, String ns, String name) {
        return switch (random.nextInt(4)) {
            case 0 -> Views.clusterIp(ns, name, List.of("10.96.0." + random.nextInt(3)), port("http", "TCP", 80));
            case 1 -> Views.headless(ns, name, random.nextBoolean(), port("http", "TCP", 80));
            case 2 -> Views.externalName(ns, name, random.nextBoolean() ? "www.example.com" : "web." + ns
                    + ".svc.cluster.local");
            default -> Views.clusterIp(ns, name, List.of("10.96.0." + random.nextInt(3), "fd00::" + random.nextInt(3)),
                    port(random.nextBoolean() ? "dns" : "Bad Port", "UDP", 53));
        };
    }

    private static EndpointSliceView slice(Random random, String ns, String name, String service) {
        List<EndpointView> endpoints = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            String hostname = random.nextInt(3) == 0 ? "h" + random.nextInt(2) : null;
            String addr = random.nextInt(10) == 0 ? "bad-address" : address(random);
            endpoints.add(endpoint(hostname, random.nextBoolean(), addr));
        }
        return Views.slice(ns, name, service, "IPv4", List.of(epPort("http", "TCP", 8080)),
                endpoints.toArray(EndpointView[]::new));
    }

    private static String address(Random random) {
        return "10.1.0." + random.nextInt(4);
    }

    private static PodView pod(String ns, String name, String hostname, String subdomain, boolean ready,
            boolean terminating, String ip) {
        return new PodView(ns, name, "uid-" + name, "1", T0, "node-1", "Running", List.of(ip), false, hostname,
                subdomain, ready, terminating, Map.of(), List.of());
    }

    private void assertSameAsPlan(String when) {
        ZoneRecords incremental = index.snapshot(++serial);
        ZoneRecords whole = ZonePlanner.plan(SETTINGS.withSerial(serial), services.values(), slices.values(),
                pods.values());
        assertThat(Set.copyOf(Rendered.all(incremental.allRecords()))).as(when + ": records")
                .isEqualTo(Set.copyOf(Rendered.all(whole.allRecords())));
        assertThat(incremental.recordCount()).as(when + ": record count").isEqualTo(whole.recordCount());
        assertThat(incremental.existingNames()).as(when + ": names that exist").isEqualTo(whole.existingNames());
        assertThat(incremental.podAddresses()).as(when + ": Pod addresses").isEqualTo(whole.podAddresses());
        assertThat(new HashSet<>(incremental.rejected())).as(when + ": rejected")
                .isEqualTo(new HashSet<>(whole.rejected()));
    }

    private static Name name(String text) {
        return Name.fromConstantString(text);
    }
}
