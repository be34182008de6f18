package io.netplane.proxy.sync;

import io.netplane.api.net.IpFamily;
import io.netplane.proxy.model.NodeContext;
import io.netplane.proxy.model.PlannedPort;
import java.util.List;
import java.util.Map;

/**
 * What one sync programs: per IP family, the ports of each Service by key (an empty list: nothing to program,
 * e.g. the Service was deleted), and this node.
 */
public record SyncInput(Map<IpFamily, Map<String, List<PlannedPort>>> services, NodeContext node) {
}
