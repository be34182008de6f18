package io.netplane.ipam.range;

/** Why a value could not be allocated; the messages follow kube-apiserver's allocator errors. */
public final class AllocationException extends RuntimeException {
    /** The three ways an allocation fails upstream: ErrNotInRange, ErrAllocated, ErrFull. */
    public enum Reason { NOT_IN_RANGE, ALREADY_ALLOCATED, FULL }

    private final Reason reason;

    public AllocationException(Reason reason, String message) {
        super(message, null, false, false); // an expected outcome, not a bug: no stack trace
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    static AllocationException ipNotInRange(Object ip, String range) {
        return new AllocationException(Reason.NOT_IN_RANGE, "the provided IP (" + ip
                + ") is not in the valid range. The range of valid IPs is " + range);
    }

    static AllocationException portNotInRange(String range) {
        return new AllocationException(Reason.NOT_IN_RANGE,
                "provided port is not in the valid range. The range of valid ports is " + range);
    }

    static AllocationException allocated(String what) {
        return new AllocationException(Reason.ALREADY_ALLOCATED, "provided " + what + " is already allocated");
    }

    static AllocationException full(String range) {
        return new AllocationException(Reason.FULL, "range " + range + " is full");
    }
}
