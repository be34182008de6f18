package io.netplane.proxy.model;

/** Which topology hints a node follows for a service port; NONE means every usable endpoint. */
public enum TopologyMode {
    NONE, PREFER_SAME_ZONE, PREFER_SAME_NODE
}
