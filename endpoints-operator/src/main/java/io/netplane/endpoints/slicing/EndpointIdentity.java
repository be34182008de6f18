package io.netplane.endpoints.slicing;

import io.netplane.api.events.EndpointSliceView.EndpointView;
import java.util.List;
import java.util.Objects;

/**
 * What makes two endpoints "the same endpoint" (upstream {@code hashEndpoint}): sorted addresses, hostname and the
 * target's namespace/name. Everything else is compared by {@link #equalBeyondIdentity} to decide whether a kept
 * endpoint needs an update.
 */
record EndpointIdentity(List<String> addresses, String hostname, String namespace, String name) {

    static EndpointIdentity of(EndpointView e) {
        List<String> sorted = e.addresses().stream().sorted().toList();
        String hostname = e.hostname() == null ? "" : e.hostname();
        return e.targetRef() == null
                ? new EndpointIdentity(sorted, hostname, "", "")
                : new EndpointIdentity(sorted, hostname, nz(e.targetRef().namespace()), nz(e.targetRef().name()));
    }

    /** Upstream {@code EndpointsEqualBeyondHash}: node, zone, the three conditions and the target reference. Hints are not compared here. */
    static boolean equalBeyondIdentity(EndpointView a, EndpointView b) {
        return Objects.equals(a.nodeName(), b.nodeName())
                && Objects.equals(a.zone(), b.zone())
                && a.ready() == b.ready()
                && a.serving() == b.serving()
                && a.terminating() == b.terminating()
                && Objects.equals(a.targetRef(), b.targetRef());
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
