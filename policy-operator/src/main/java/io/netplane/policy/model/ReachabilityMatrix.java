package io.netplane.policy.model;

import java.util.List;

/**
 * Every-Pod-to-every-Pod verdicts for one port and protocol, printed like the upstream e2e suite's truth tables
 * ({@code .} allowed, {@code X} denied; rows are clients, columns servers).
 */
public record ReachabilityMatrix(List<String> pods, int port, Protocol protocol, boolean[][] allowed) {

    public static ReachabilityMatrix compute(ClusterView cluster, List<PodInfo> pods, int port, Protocol protocol) {
        boolean[][] a = new boolean[pods.size()][pods.size()];
        for (int i = 0; i < pods.size(); i++) {
            for (int j = 0; j < pods.size(); j++) {
                a[i][j] = PolicyEvaluator.evaluate(cluster, Endpoint.of(pods.get(i)), Endpoint.of(pods.get(j)), port, protocol).allowed();
            }
        }
        return new ReachabilityMatrix(pods.stream().map(PodInfo::key).toList(), port, protocol, a);
    }

    public boolean allowed(String from, String to) {
        return allowed[pods.indexOf(from)][pods.indexOf(to)];
    }

    public String render() {
        StringBuilder sb = new StringBuilder(protocol + "/" + port + "\t");
        sb.append(String.join("\t", pods)).append('\n');
        for (int i = 0; i < pods.size(); i++) {
            sb.append(pods.get(i));
            for (int j = 0; j < pods.size(); j++) {
                sb.append('\t').append(allowed[i][j] ? '.' : 'X');
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
