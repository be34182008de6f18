package io.netplane.ingress.compile;

import io.netplane.api.events.RouteView;
import io.netplane.api.events.RouteView.BackendView;
import io.netplane.api.events.RouteView.PathView;
import io.netplane.api.events.RouteView.RuleView;
import io.netplane.api.events.RouteView.TlsView;
import io.netplane.api.names.KubernetesNames;
import io.netplane.api.report.Problem;
import io.netplane.ingress.compile.IngressInput.BackendInput;
import io.netplane.ingress.compile.IngressInput.PathInput;
import io.netplane.ingress.compile.IngressInput.RuleInput;
import io.netplane.ingress.compile.IngressInput.TlsInput;
import io.netplane.ingress.compile.ServiceInput.PortInput;
import io.netplane.ingress.routing.PathType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles one Ingress into the {@link RouteView} its class's gateways serve.
 *
 * <ul>
 *   <li>Service backends get their port resolved against the Service: a port name to its number, a number to
 *       the port's name (EndpointSlices key ports by name). An unknown Service or port keeps the path (so
 *       the gateway answers 503 for it rather than routing it elsewhere) and reports a Problem.</li>
 *   <li>Resource backends are not supported: the path (or default backend) is dropped, with a Problem.</li>
 *   <li>A path that is not absolute, has no valid pathType, or a rule whose host is not a DNS name or a
 *       single leading-label wildcard, is dropped with a Problem; the rest of the Ingress is still served.</li>
 *   <li>TLS blocks are kept as Secret references; a Secret that is missing or lacks {@code tls.crt}/
 *       {@code tls.key} is reported.</li>
 * </ul>
 */
public final class RouteCompiler {

    private RouteCompiler() {
    }

    /**
     * @param services the Services of the Ingress's namespace by name
     * @param tlsSecrets names of the Secrets in the Ingress's namespace that hold {@code tls.crt} and {@code tls.key}
     */
    public static Compilation compile(IngressInput ingress, List<IngressClassInput> classes,
            Map<String, ServiceInput> services, Set<String> tlsSecrets, String controller, Instant observedAt) {
        ClassResolution resolution = ClassResolver.resolve(ingress, classes, controller);
        List<Problem> problems = new ArrayList<>();
        if (resolution.problem() != null) {
            problems.add(resolution.problem());
        }
        if (!resolution.ours()) {
            return new Compilation(resolution, null, problems);
        }
        BackendView defaultBackend = ingress.defaultBackend() == null ? null
                : backend(ingress.defaultBackend(), services, "defaultBackend", problems);
        List<RuleView> rules = new ArrayList<>();
        for (RuleInput rule : ingress.rules()) {
            RuleView compiled = rule(rule, services, problems);
            if (compiled != null) {
                rules.add(compiled);
            }
        }
        List<TlsView> tls = new ArrayList<>();
        for (TlsInput block : ingress.tls()) {
            if (block.secretName() == null || block.secretName().isEmpty()) {
                continue; // a TLS block without a Secret asks for the default certificate
            }
            if (!tlsSecrets.contains(block.secretName())) {
                problems.add(Problem.warning("TLSSecretNotFound", "TLS Secret " + ingress.namespace() + "/"
                        + block.secretName() + " does not exist or lacks tls.crt/tls.key; the default certificate is used"));
            }
            tls.add(new TlsView(block.hosts(), block.secretName()));
        }
        RouteView route = new RouteView(ingress.namespace(), ingress.name(), ingress.resourceVersion(), observedAt,
                resolution.className(), defaultBackend, rules, tls, ingress.createdAt());
        return new Compilation(resolution, route, problems);
    }

    private static RuleView rule(RuleInput rule, Map<String, ServiceInput> services, List<Problem> problems) {
        String host = rule.host() == null || rule.host().isEmpty() ? null : rule.host();
        if (host != null && !validHost(host)) {
            problems.add(Problem.warning("InvalidHost", "rule host \"" + host + "\" is not a DNS name or *.wildcard; rule skipped"));
            return null;
        }
        List<PathView> paths = new ArrayList<>();
        for (PathInput path : rule.paths()) {
            String where = (host == null ? "*" : host) + (path.path() == null ? "" : path.path());
            if (path.path() == null || !path.path().startsWith("/")) {
                problems.add(Problem.warning("InvalidPath", "path \"" + path.path() + "\" of rule " + where
                        + " is not absolute; path skipped"));
                continue;
            }
            if (PathType.parse(path.pathType()) == null) {
                problems.add(Problem.warning("InvalidPathType", "path " + where + " has pathType \"" + path.pathType()
                        + "\" (want Exact, Prefix or ImplementationSpecific); path skipped"));
                continue;
            }
            BackendView backend = path.backend() == null ? null : backend(path.backend(), services, where, problems);
            if (backend == null) {
                if (path.backend() == null) {
                    problems.add(Problem.warning("MissingBackend", "path " + where + " has no backend; path skipped"));
                }
                continue;
            }
            paths.add(new PathView(path.path(), path.pathType(), backend));
        }
        return new RuleView(host, paths);
    }

    private static BackendView backend(BackendInput in, Map<String, ServiceInput> services, String where,
            List<Problem> problems) {
        if (in.resourceKind() != null || in.serviceName() == null) {
            problems.add(Problem.warning("UnsupportedBackend", where + ": resource backend "
                    + (in.resourceKind() == null ? "" : "of kind " + in.resourceKind() + " ")
                    + "is not supported; only Service backends are served"));
            return null;
        }
        ServiceInput service = services.get(in.serviceName());
        if (service == null) {
            problems.add(Problem.warning("ServiceNotFound", where + ": Service " + in.serviceName()
                    + " not found; requests get 503 until it exists"));
            return new BackendView(in.serviceName(), in.portNumber(), in.portName());
        }
        if ("ExternalName".equals(service.type())) {
            problems.add(Problem.warning("UnsupportedBackend", where + ": Service " + in.serviceName()
                    + " is of type ExternalName, which has no endpoints to proxy to"));
        }
        PortInput port = service.ports().stream()
                .filter(p -> in.portName() != null ? in.portName().equals(p.name())
                        : in.portNumber() != null && in.portNumber() == p.port())
                .findFirst().orElse(null);
        if (port == null) {
            String wanted = in.portName() != null ? "named " + in.portName() : "number " + in.portNumber();
            problems.add(Problem.warning("ServicePortNotFound", where + ": Service " + in.serviceName()
                    + " has no port " + wanted + "; requests get 503"));
            return new BackendView(in.serviceName(), in.portNumber(), in.portName());
        }
        if (port.protocol() != null && !"TCP".equals(port.protocol())) {
            problems.add(Problem.warning("UnsupportedBackend", where + ": Service port " + port.port() + " is "
                    + port.protocol() + "; HTTP needs TCP"));
        }
        return new BackendView(in.serviceName(), port.port(), port.name());
    }

    static boolean validHost(String host) {
        String name = host.startsWith("*.") ? host.substring(2) : host;
        return name.equals(name.toLowerCase(java.util.Locale.ROOT)) && KubernetesNames.isDns1123Subdomain(name);
    }
}
