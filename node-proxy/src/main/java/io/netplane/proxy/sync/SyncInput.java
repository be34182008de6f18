package io.netplane.proxy.sync;

import io.netplane.api.net.IpFamily;
import io.netplane.proxy.model.NodeContext;
import io.netplane.proxy.model.PlannedPort;
import java.util.List;
import java.util.Map;

/**
 * What one sync programs: per IP family, the ports of each Service by key (an empty list: nothing to program,
 * e.g. the Service was deleted), this node, and how many Services the proxy knows in all (a batch carries only
 * some of them).
 */
public record SyncInput(Map<IpFamily, Map<String, List<PlannedPort>>> services, NodeContext node, int knownServices) {

    /** A sync of every Service the proxy knows. */
    public SyncInput(Map<IpFamily, Map<String, List<PlannedPort>>> services, NodeContext node) {
        this(services, node, services.values().stream().mapToInt(Map::size).max().orElse(0));
    }
}
