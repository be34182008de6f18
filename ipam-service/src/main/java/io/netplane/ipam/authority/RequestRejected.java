package io.netplane.ipam.authority;

/** A request the authority refuses, with the HTTP status and field path it maps to. */
public final class RequestRejected extends RuntimeException {
    private final int status;
    private final String field;

    public RequestRejected(int status, String field, String message) {
        super(message);
        this.status = status;
        this.field = field;
    }

    public int status() {
        return status;
    }

    public String field() {
        return field;
    }
}
