package io.netplane.api.events;

/** A reference to a Kubernetes object (an endpoint's targetRef, an allocation's owner). */
public record ObjectRef(String kind, String namespace, String name, String uid) {
}
