package io.netplane.ingress.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.netplane.ingress.compile.ClassResolver;
import io.netplane.ingress.compile.IngressClassInput;
import io.netplane.ingress.compile.IngressInput;
import io.netplane.ingress.compile.IngressInput.BackendInput;
import io.netplane.ingress.compile.IngressInput.PathInput;
import io.netplane.ingress.compile.IngressInput.RuleInput;
import io.netplane.ingress.compile.IngressInput.TlsInput;
import io.netplane.ingress.compile.ServiceInput;
import io.netplane.ingress.compile.ServiceInput.PortInput;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Cuts API objects down to the compiler's records, once, at the edge. */
final class IngressInputs {
    private IngressInputs() {
    }

    static IngressInput of(Ingress ingress) {
        var meta = ingress.getMetadata();
        var spec = ingress.getSpec();
        List<RuleInput> rules = new ArrayList<>();
        List<TlsInput> tls = new ArrayList<>();
        BackendInput defaultBackend = null;
        String className = null;
        if (spec != null) {
            className = spec.getIngressClassName();
            defaultBackend = backend(spec.getDefaultBackend());
            for (IngressRule rule : Objects.requireNonNullElse(spec.getRules(), List.<IngressRule>of())) {
                List<PathInput> paths = new ArrayList<>();
                if (rule.getHttp() != null && rule.getHttp().getPaths() != null) {
                    for (HTTPIngressPath path : rule.getHttp().getPaths()) {
                        paths.add(new PathInput(path.getPath() == null ? "/" : path.getPath(), path.getPathType(),
                                backend(path.getBackend())));
                    }
                }
                rules.add(new RuleInput(rule.getHost(), paths));
            }
            for (IngressTLS block : Objects.requireNonNullElse(spec.getTls(), List.<IngressTLS>of())) {
                tls.add(new TlsInput(block.getHosts(), block.getSecretName()));
            }
        }
        return new IngressInput(meta.getNamespace(), meta.getName(), meta.getResourceVersion(),
                instant(meta.getCreationTimestamp()), className, meta.getAnnotations(), defaultBackend, rules, tls);
    }

    private static BackendInput backend(IngressBackend backend) {
        if (backend == null) {
            return null;
        }
        if (backend.getResource() != null) {
            return new BackendInput(null, null, null, backend.getResource().getKind());
        }
        var service = backend.getService();
        if (service == null) {
            return new BackendInput(null, null, null, "unknown");
        }
        var port = service.getPort();
        return new BackendInput(service.getName(), port == null ? null : port.getNumber(),
                port == null || port.getName() == null || port.getName().isEmpty() ? null : port.getName(), null);
    }

    static IngressClassInput of(IngressClass ingressClass) {
        Map<String, String> annotations = Objects.requireNonNullElse(ingressClass.getMetadata().getAnnotations(), Map.of());
        return new IngressClassInput(ingressClass.getMetadata().getName(),
                ingressClass.getSpec() == null ? null : ingressClass.getSpec().getController(),
                "true".equals(annotations.get(ClassResolver.DEFAULT_CLASS_ANNOTATION)),
                instant(ingressClass.getMetadata().getCreationTimestamp()));
    }

    static ServiceInput of(Service service) {
        List<PortInput> ports = new ArrayList<>();
        if (service.getSpec() != null && service.getSpec().getPorts() != null) {
            service.getSpec().getPorts().forEach(p -> ports.add(new PortInput(p.getName() == null ? "" : p.getName(),
                    p.getPort() == null ? 0 : p.getPort(), p.getProtocol() == null ? "TCP" : p.getProtocol())));
        }
        return new ServiceInput(service.getMetadata().getNamespace(), service.getMetadata().getName(),
                service.getSpec() == null ? null : service.getSpec().getType(), ports);
    }

    /** A Secret the gateway can serve: it carries both {@code tls.crt} and {@code tls.key}. */
    static boolean isTls(Secret secret) {
        Map<String, String> data = secret.getData();
        return data != null && data.containsKey("tls.crt") && data.containsKey("tls.key");
    }

    static Instant instant(String timestamp) {
        return timestamp == null ? null : Instant.parse(timestamp);
    }
}
