package io.netplane.proxy.sync;

import static io.netplane.proxy.fixtures.ServiceBuilder.service;
import static io.netplane.proxy.fixtures.SliceBuilder.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netplane.api.events.Topics;
import io.netplane.api.net.IpFamily;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The loop's contract with a data plane, seen through a recording fake. */
class SyncLoopTest {
    /**
     * Records each call as "full|update: key=portCount,..." and fails the calls it is told to, and any call that
     * would program a Service named in {@code poison}. {@code programmed} is what it holds.
     */
    static final class Recording implements Dataplane {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final Map<String, Integer> programmed = new java.util.concurrent.ConcurrentHashMap<>();
        volatile int failNext;
        volatile String poison;
        volatile boolean intact = true;
        volatile boolean cold;
        /** When set, what it said at each call (before the call's own result is recorded). */
        volatile java.util.function.BooleanSupplier readiness;
        final List<Boolean> readyAtCall = new CopyOnWriteArrayList<>();

        @Override
        public void replaceAll(SyncInput input) throws Exception {
            record("full", input);
        }

        @Override
        public void update(SyncInput input) throws Exception {
            record("update", input);
        }

        private void record(String kind, SyncInput input) throws Exception {
            if (readiness != null) {
                readyAtCall.add(readiness.getAsBoolean());
            }
            Map<String, ?> m = new java.util.TreeMap<>(input.services().get(IpFamily.IPv4));
            boolean poisoned = poison != null && m.containsKey(poison) && !((List<?>) m.get(poison)).isEmpty();
            if (failNext > 0 || poisoned) {
                failNext = Math.max(0, failNext - 1);
                calls.add(kind + " FAILED");
                throw new Exception("nft says no");
            }
            if (kind.equals("full")) {
                programmed.clear();
            }
            m.forEach((k, v) -> {
                if (((List<?>) v).isEmpty()) {
                    programmed.remove(k);
                } else {
                    programmed.put(k, ((List<?>) v).size());
                }
            });
            StringBuilder sb = new StringBuilder(kind).append(':');
            m.forEach((k, v) -> sb.append(' ').append(k).append('=').append(((List<?>) v).size()));
            calls.add(sb.toString());
        }

        @Override
        public boolean intact() {
            return intact;
        }

        @Override
        public boolean coldStart() {
            return cold;
        }

        @Override
        public int ruleCount() {
            return 0;
        }

        @Override
        public void remove() {
        }
    }

    final Recording plane = new Recording();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final SyncLoop loop = new SyncLoop(new SyncLoop.Settings("node-a", List.of(IpFamily.IPv4), null, true,
            Duration.ofMillis(20), Duration.ofMillis(20)), plane, Clock.systemUTC(), registry).start();

    @AfterEach
    void stop() {
        loop.close();
    }

    @Test
    void nothingIsProgrammedBeforeTheSnapshotThenOneFullSync() throws Exception {
        loop.onEvent(Topics.SERVICES, "ns/a", service("ns", "a", "10.96.0.1").port("p", "TCP", 80, 80).build());
        loop.onEvent(Topics.SERVICES, "ns/b", service("ns", "b", "10.96.0.2").port("p", "TCP", 80, 80).build());
        Thread.sleep(200);
        assertThat(plane.calls).isEmpty();
        assertThat(loop.synced()).isFalse();
        loop.onCaughtUp();
        await().until(() -> plane.calls.size() == 1);
        assertThat(plane.calls).containsExactly("full: ns/a=1 ns/b=1");
        assertThat(loop.lastSync()).isNotNull();
        assertThat(loop.pendingSince()).isNull();
    }

    private void snapshotOf(int services) {
        for (int i = 0; i < services; i++) {
            loop.onEvent(Topics.SERVICES, "ns/s" + i,
                    service("ns", "s" + i, "10.96.10." + (i % 250)).port("p", "TCP", 80, 80).build());
        }
        loop.onCaughtUp();
    }

    @Test
    void aColdStartWithManyServicesIsProgrammedInBatchesAndReadyOnlyAfterTheLast() {
        plane.cold = true;
        plane.readiness = loop::synced;
        snapshotOf(2500);
        await().until(() -> plane.calls.size() == 4);
        assertThat(plane.readyAtCall).as("not ready while batches remain").containsExactly(false, false, false, false);
        assertThat(plane.calls.get(0)).isEqualTo("full:");
        assertThat(plane.calls.subList(1, 4)).allMatch(c -> c.startsWith("update: "));
        assertThat(plane.calls.subList(1, 4)).extracting(c -> c.split(" ").length - 1)
                .containsExactlyInAnyOrder(1000, 1000, 500);
        assertThat(plane.programmed).hasSize(2500);
        await().until(loop::synced);
        assertThat(plane.calls).hasSize(4);
    }

    @Test
    void aColdStartOfASmallClusterIsOneTransaction() {
        plane.cold = true;
        snapshotOf(2000);
        await().until(loop::synced);
        assertThat(plane.calls).singleElement().asString().startsWith("full: ").contains("ns/s1999=1");
    }

    @Test
    void aRestartWithItsTableInPlaceReplacesItInOneTransaction() {
        plane.cold = false;
        snapshotOf(1200);
        await().until(loop::synced);
        assertThat(plane.calls).singleElement().asString().startsWith("full: ").contains("ns/s1199=1");
    }

    @Test
    void laterChangesUpdateOnlyTheAffectedServices() {
        loop.onEvent(Topics.SERVICES, "ns/a", service("ns", "a", "10.96.0.1").port("p", "TCP", 80, 80).build());
        loop.onEvent(Topics.SERVICES, "ns/b", service("ns", "b", "10.96.0.2").port("p", "TCP", 80, 80).build());
        loop.onCaughtUp();
        await().until(() -> plane.calls.size() == 1);
        loop.onEvent(Topics.ENDPOINT_SLICES, "ns/b-1",
                slice("ns", "b-1", "b").port("p", "TCP", 80).ready("10.0.0.1", "node-a").build());
        await().until(() -> plane.calls.size() == 2);
        loop.onEvent(Topics.SERVICES, "ns/a", null);
        await().until(() -> plane.calls.size() == 3);
        assertThat(plane.calls).containsExactly("full: ns/a=1 ns/b=1", "update: ns/b=1", "update: ns/a=0");
        assertThat(registry.get("netplane.proxy.network.programming.latency").timer().count()).isEqualTo(1);
    }

    @Test
    void aFailedUpdateIsRetried() {
        loop.onEvent(Topics.SERVICES, "ns/a", service("ns", "a", "10.96.0.1").port("p", "TCP", 80, 80).build());
        loop.onCaughtUp();
        await().until(() -> plane.calls.size() == 1);
        plane.failNext = 1;
        loop.onEvent(Topics.SERVICES, "ns/b", service("ns", "b", "10.96.0.2").port("p", "TCP", 80, 80).build());
        await().until(() -> plane.calls.size() == 3);
        assertThat(plane.calls).containsExactly("full: ns/a=1", "update FAILED", "update: ns/b=1");
        assertThat(registry.get("netplane.proxy.sync.failures").counter().count()).isEqualTo(1);
    }

    @Test
    void aTableRemovedBehindOurBackIsRebuilt() {
        loop.onEvent(Topics.SERVICES, "ns/a", service("ns", "a", "10.96.0.1").port("p", "TCP", 80, 80).build());
        loop.onCaughtUp();
        await().until(() -> plane.calls.size() == 1);
        plane.failNext = 1;
        plane.intact = false;
        loop.onEvent(Topics.SERVICES, "ns/b", service("ns", "b", "10.96.0.2").port("p", "TCP", 80, 80).build());
        await().until(() -> plane.calls.size() == 3);
        assertThat(plane.calls).containsExactly("full: ns/a=1", "update FAILED", "full: ns/a=1 ns/b=1");
    }

    @Test
    void aServiceNftRejectsIsQuarantinedAndTheOthersAreProgrammed() {
        plane.poison = "ns/bad";
        for (String name : List.of("a", "bad", "c", "d")) {
            loop.onEvent(Topics.SERVICES, "ns/" + name,
                    service("ns", name, "10.96.0." + (name.length() + 10 + name.charAt(0) % 50)).port("p", "TCP", 80, 80).build());
        }
        loop.onCaughtUp();
        await().atMost(Duration.ofSeconds(10)).until(() ->
                registry.get("netplane.proxy.invalid.objects").counter().count() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                plane.programmed.keySet().equals(java.util.Set.of("ns/a", "ns/c", "ns/d")));
        // no retry loop: after quarantine the loop goes quiet
        int calls = plane.calls.size();
        await().pollDelay(Duration.ofMillis(300)).until(() -> true);
        assertThat(plane.calls).hasSize(calls);
        // a new version of the Service gets another chance
        plane.poison = null;
        loop.onEvent(Topics.SERVICES, "ns/bad", service("ns", "bad", "10.96.0.99").port("p", "TCP", 80, 80).build());
        await().until(() -> plane.programmed.containsKey("ns/bad"));
    }

    @Test
    void invalidServiceIsCountedAndProgrammedAsNothing() {
        loop.onEvent(Topics.SERVICES, "ns/bad", service("ns", "bad", "10.96.0.300").port("p", "TCP", 80, 80).build());
        loop.onCaughtUp();
        await().until(() -> plane.calls.size() == 1);
        assertThat(plane.calls).containsExactly("full: ns/bad=0");
        assertThat(registry.get("netplane.proxy.invalid.objects").counter().count()).isEqualTo(1);
    }

    @Test
    void aServiceThePlannerCannotHandleDoesNotStopTheOthers() {
        // no namespace, no ports list entries: a value no producer should send
        loop.onEvent(Topics.SERVICES, "weird", new io.netplane.api.events.ServiceView(null, null, null, "1", null,
                "ClusterIP", List.of("10.96.0.7"), false, null, null, null, null, null, null, null, null, null, null,
                null, null, null, false, null, null));
        loop.onEvent(Topics.SERVICES, "ns/a", service("ns", "a", "10.96.0.1").port("p", "TCP", 80, 80).build());
        loop.onCaughtUp();
        await().until(() -> plane.calls.size() == 1);
        assertThat(plane.calls).containsExactly("full: ns/a=1 weird=0");
        assertThat(registry.get("netplane.proxy.invalid.objects").counter().count()).isEqualTo(1);
    }

    @Test
    void otherNodesDoNotTriggerSyncs() throws Exception {
        loop.onCaughtUp();
        await().until(() -> plane.calls.size() == 1);
        loop.onEvent(Topics.NODES, "node-b", null);
        Thread.sleep(200);
        assertThat(plane.calls).hasSize(1);
    }
}
