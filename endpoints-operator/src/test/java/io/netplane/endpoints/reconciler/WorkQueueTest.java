package io.netplane.endpoints.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

class WorkQueueTest {
    @Test
    void aDelayedKeyArrivesAfterItsDelay() throws InterruptedException {
        try (WorkQueue queue = new WorkQueue()) {
            queue.addAfter("ns/web", 20);
            assertThat(queue.take()).isEqualTo("ns/web");
        }
    }

    @Test
    void aRetryScheduledAfterCloseIsDroppedWithoutFailingTheWorker() throws InterruptedException {
        WorkQueue queue = new WorkQueue();
        queue.close();
        assertThatCode(() -> queue.addAfter("ns/web", 200)).doesNotThrowAnyException();
        assertThat(queue.take()).isNull();
    }
}
