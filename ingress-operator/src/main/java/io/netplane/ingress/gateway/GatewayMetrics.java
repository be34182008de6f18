package io.netplane.ingress.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer view of the gateway: {@code netplane.ingress.requests} by status class (2xx…5xx) and
 * {@code netplane.ingress.request.duration}.
 */
final class GatewayMetrics implements RequestObserver {
    private final Counter[] byClass = new Counter[6];
    private final Timer duration;

    GatewayMetrics(MeterRegistry registry) {
        for (int c = 1; c <= 5; c++) {
            byClass[c] = Counter.builder("netplane.ingress.requests").tag("status", c + "xx")
                    .description("requests answered by the gateway").register(registry);
        }
        duration = Timer.builder("netplane.ingress.request.duration").description("time to the end of the response")
                .register(registry);
    }

    @Override
    public void completed(int status, long nanos) {
        int c = status / 100;
        if (c >= 1 && c <= 5) {
            byClass[c].increment();
        }
        duration.record(nanos, TimeUnit.NANOSECONDS);
    }
}
