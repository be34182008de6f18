package io.netplane.policy.server;

import java.util.List;

/**
 * Reachability matrices for a set of namespaces, one per probed port/protocol, in the upstream e2e suite's
 * layout: rows are clients, columns servers; {@code text} is the printed truth table ({@code .} allowed,
 * {@code X} denied).
 */
public record MatrixResponse(List<String> pods, List<Matrix> matrices) {

    public record Matrix(int port, String protocol, List<List<Boolean>> allowed, String text) {
    }
}
