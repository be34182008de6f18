package io.netplane.ingress.gateway;

/** Told about every finished request (for metrics); must be cheap and thread-safe. */
@FunctionalInterface
public interface RequestObserver {

    RequestObserver NONE = (status, nanos) -> {
    };

    void completed(int status, long nanos);
}
