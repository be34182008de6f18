package io.netplane.runtime.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netplane.runtime.control.ControlLoop.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ControlLoopTest {
    private final List<ControlLoop> loops = new ArrayList<>();

    @AfterEach
    void close() {
        loops.forEach(ControlLoop::close);
    }

    private ControlLoop loop(ControlLoop.Builder b) {
        ControlLoop l = b.build();
        loops.add(l);
        return l;
    }

    @Test
    void aKeyQueuedManyTimesBeforeAWorkerTakesItIsReconciledOnce() throws Exception {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        ControlLoop l = loop(ControlLoop.builder("t", k -> {
            seen.add(k);
            return Result.DONE;
        }).startPaused());
        l.start();
        for (int i = 0; i < 10; i++) {
            l.add("a");
            l.add("b");
        }
        assertThat(l.depth()).isEqualTo(2);
        l.resume();
        await().atMost(Duration.ofSeconds(5)).until(() -> l.depth() == 0 && seen.size() == 2);
        Thread.sleep(100);
        assertThat(seen).containsExactly("a", "b");
    }

    @Test
    void aKeyIsNeverReconciledByTwoWorkersAtOnceAndAnAddDuringWorkRunsItAgain() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        AtomicInteger runs = new AtomicInteger();
        ControlLoop l = loop(ControlLoop.builder("t", k -> {
            maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            if (runs.incrementAndGet() == 1) {
                inside.countDown();
                release.await(5, TimeUnit.SECONDS);
            }
            concurrent.decrementAndGet();
            return Result.DONE;
        }).workers(4));
        l.start();
        l.add("k");
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
        l.add("k");
        l.add("k");
        Thread.sleep(200); // three idle workers could have taken it
        assertThat(runs).hasValue(1);
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() == 2 && l.depth() == 0);
        assertThat(maxConcurrent).hasValue(1);
    }

    @Test
    void aFailingKeyIsRetriedWithGrowingBackoffAndForgottenOnSuccess() {
        List<Long> at = Collections.synchronizedList(new ArrayList<>());
        List<Integer> told = Collections.synchronizedList(new ArrayList<>());
        ControlLoop l = loop(ControlLoop.builder("t", k -> {
            at.add(System.nanoTime());
            if (at.size() <= 3) {
                throw new IllegalStateException("conflict");
            }
            return Result.DONE;
        }).backoff(Duration.ofMillis(100), Duration.ofSeconds(10)).onFailure((k, n, e) -> told.add(n)));
        l.start();
        l.add("k");
        await().atMost(Duration.ofSeconds(5)).until(() -> at.size() == 4);
        assertThat(told).containsExactly(1, 2, 3);
        // 100, 200 and 400 ms between the attempts
        assertThat(TimeUnit.NANOSECONDS.toMillis(at.get(1) - at.get(0))).isBetween(90L, 1_000L);
        assertThat(TimeUnit.NANOSECONDS.toMillis(at.get(3) - at.get(2)))
                .isGreaterThanOrEqualTo(390L).isGreaterThan(TimeUnit.NANOSECONDS.toMillis(at.get(1) - at.get(0)));
        await().atMost(Duration.ofSeconds(2)).until(() -> l.attempts("k") == 0);
    }

    @Test
    void backoffDoublesUpToItsCap() {
        Duration base = Duration.ofMillis(100);
        Duration max = Duration.ofSeconds(30);
        assertThat(ControlLoop.backoff(base, max, 1)).isEqualTo(Duration.ofMillis(100));
        assertThat(ControlLoop.backoff(base, max, 2)).isEqualTo(Duration.ofMillis(200));
        assertThat(ControlLoop.backoff(base, max, 9)).isEqualTo(Duration.ofMillis(25_600));
        assertThat(ControlLoop.backoff(base, max, 10)).isEqualTo(max);
        assertThat(ControlLoop.backoff(base, max, 1_000)).isEqualTo(max);
        assertThatThrownBy(() -> ControlLoop.builder("t", k -> Result.DONE).backoff(max, base))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ControlLoop.builder("t", k -> Result.DONE).workers(0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPausedLoopQueuesButHandsOutNothingUntilResumed() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        ControlLoop l = loop(ControlLoop.builder("t", k -> {
            runs.incrementAndGet();
            return Result.DONE;
        }));
        l.start();
        l.add("a");
        await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() == 1);
        l.pause();
        l.add("a");
        l.add("b");
        Thread.sleep(200);
        assertThat(runs).hasValue(1);
        assertThat(l.depth()).isEqualTo(2);
        l.resume();
        await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() == 3);
    }

    @Test
    void aReconcileCanAskToBeRunAgainLaterWithoutCountingAsAFailure() {
        AtomicInteger runs = new AtomicInteger();
        ControlLoop l = loop(ControlLoop.builder("t", k -> runs.incrementAndGet() < 3
                ? Result.requeueAfter(Duration.ofMillis(50)) : Result.DONE));
        l.start();
        l.add("k");
        await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() == 3);
        assertThat(l.attempts("k")).isZero();
    }

    @Test
    void metricsShowDepthRetriesAndLatency() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Map<String, Integer> calls = new ConcurrentHashMap<>();
        ControlLoop l = loop(ControlLoop.builder("slices", k -> {
            if (calls.merge(k, 1, Integer::sum) == 1) {
                throw new IllegalStateException("first write fails");
            }
            return Result.DONE;
        }).backoff(Duration.ofMillis(10), Duration.ofMillis(10)).meters(meters).startPaused());
        l.start();
        l.add("a");
        l.add("b");
        assertThat(meters.get("netplane.loop.depth").tag("loop", "slices").gauge().value()).isEqualTo(2.0);
        l.resume();
        await().atMost(Duration.ofSeconds(5)).until(() -> calls.values().stream().allMatch(n -> n == 2)
                && calls.size() == 2 && l.depth() == 0);
        assertThat(meters.get("netplane.loop.retries").tag("loop", "slices").counter().count()).isEqualTo(2.0);
        assertThat(meters.get("netplane.loop.work.duration").tag("loop", "slices").timer().count()).isEqualTo(4);
        assertThat(meters.get("netplane.loop.queue.latency").tag("loop", "slices").timer().count()).isEqualTo(4);
    }

    @Test
    void aClosedLoopTakesNoKeyAndDropsRetries() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        ControlLoop l = loop(ControlLoop.builder("t", k -> {
            runs.incrementAndGet();
            throw new IllegalStateException("always");
        }).backoff(Duration.ofMillis(300), Duration.ofMillis(300)));
        l.start();
        l.add("k");
        await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() >= 1);
        l.close(); // the retry due in 300 ms is dropped
        int before = runs.get();
        l.add("k");
        l.addAfter("k", Duration.ofMillis(1));
        Thread.sleep(700);
        assertThat(runs).hasValue(before);
    }
}
