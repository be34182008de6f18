package io.netplane.ingress.compile;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The fields of an Ingress that routing needs, cut from the API object once at the edge. */
public record IngressInput(
        String namespace,
        String name,
        String resourceVersion,
        Instant createdAt,
        String ingressClassName,
        Map<String, String> annotations,
        BackendInput defaultBackend,
        List<RuleInput> rules,
        List<TlsInput> tls) {

    public IngressInput {
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        rules = rules == null ? List.of() : List.copyOf(rules);
        tls = tls == null ? List.of() : List.copyOf(tls);
    }

    public String key() {
        return namespace + "/" + name;
    }

    /**
     * A backend: a Service with a port number or name, or a resource backend ({@code resourceKind} set),
     * which this controller does not serve.
     */
    public record BackendInput(String serviceName, Integer portNumber, String portName, String resourceKind) {
    }

    /** A rule: host (null for any) and its HTTP paths. */
    public record RuleInput(String host, List<PathInput> paths) {
        public RuleInput {
            paths = paths == null ? List.of() : List.copyOf(paths);
        }
    }

    public record PathInput(String path, String pathType, BackendInput backend) {
    }

    public record TlsInput(List<String> hosts, String secretName) {
        public TlsInput {
            hosts = hosts == null ? List.of() : List.copyOf(hosts);
        }
    }
}
