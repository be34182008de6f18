package io.netplane.proxy.model;

import java.util.List;

/**
 * What the proxy programs for one Service in one IP family: its ports with their endpoints, and the
 * problems found in the input (each a sentence naming the field). A Service that is ignored (headless,
 * ExternalName, another proxy's) or invalid as a whole has no ports.
 */
public record ServicePlan(String serviceKey, List<PlannedPort> ports, List<String> problems) {
    public ServicePlan {
        ports = List.copyOf(ports);
        problems = List.copyOf(problems);
    }

    public static ServicePlan empty(String serviceKey) {
        return new ServicePlan(serviceKey, List.of(), List.of());
    }
}
