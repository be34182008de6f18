package io.netplane.ingress.routing;

/**
 * Two Ingresses of one class claimed the same host and path (same type), or both set the class-wide default
 * backend; {@code winner} serves it, {@code loser}'s claim is ignored.
 */
public record Conflict(String host, String pathType, String path, Origin winner, Origin loser) {

    public String describe() {
        String where = path == null ? "the default backend" : (host == null ? "*" : host) + " " + pathType + " " + path;
        return loser.key() + " loses " + where + " to " + winner.key() + " (older Ingress wins)";
    }
}
