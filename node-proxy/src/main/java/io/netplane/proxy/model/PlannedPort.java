package io.netplane.proxy.model;

import java.util.List;

/** A service port with every endpoint the slices list for it (in address order), before categorisation. */
public record PlannedPort(ServicePort port, List<Endpoint> endpoints) {
    public PlannedPort {
        endpoints = List.copyOf(endpoints);
    }
}
