package io.netplane.proxy.userspace;

import io.netplane.proxy.model.Endpoint;
import java.time.Duration;
import java.util.List;

/**
 * One address the userspace proxy listens on for one service port, and the endpoints it forwards to.
 *
 * @param id {@code <protocol> <host>:<port>}: listeners with the same id are the same socket
 */
record Listener(String id, String serviceKey, String protocol, String host, int port, List<Endpoint> endpoints,
        Duration affinity) {
}
