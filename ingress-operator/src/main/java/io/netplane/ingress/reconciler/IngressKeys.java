package io.netplane.ingress.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.netplane.ingress.compile.IngressInput;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Which Ingresses a change of another object concerns, as keys for the control loop (the secondary-to-primary
 * mappings): an IngressClass change concerns every Ingress (class resolution, the default class); a Service change
 * the Ingresses of its namespace with a backend on it, and every Ingress when it is the gateway's publish Service
 * (the status addresses); a TLS Secret change the Ingresses of its namespace that name it.
 */
final class IngressKeys {
    private final Supplier<List<String>> allKeys;
    private final Function<String, List<Ingress>> ingressesIn;
    private final String publishService;

    /**
     * @param publishService {@code namespace/name} of the gateway's Service, or empty
     */
    IngressKeys(Supplier<List<String>> allKeys, Function<String, List<Ingress>> ingressesIn,
            Optional<String> publishService) {
        this.allKeys = allKeys;
        this.ingressesIn = ingressesIn;
        this.publishService = publishService.orElse(null);
    }

    List<String> all() {
        return allKeys.get();
    }

    List<String> usingService(Service service) {
        if (Cache.metaNamespaceKeyFunc(service).equals(publishService)) {
            return all();
        }
        String name = service.getMetadata().getName();
        return keysIn(service, i -> usesService(i, name));
    }

    List<String> usingSecret(Secret secret) {
        String name = secret.getMetadata().getName();
        return keysIn(secret, i -> usesSecret(i, name));
    }

    private List<String> keysIn(HasMetadata object, Predicate<IngressInput> uses) {
        return ingressesIn.apply(object.getMetadata().getNamespace()).stream()
                .filter(i -> uses.test(IngressInputs.of(i))).map(Cache::metaNamespaceKeyFunc).toList();
    }

    /** The Ingress has a backend (in a rule or its default backend) on the Service {@code service}. */
    static boolean usesService(IngressInput ingress, String service) {
        boolean inRules = ingress.rules().stream().flatMap(r -> r.paths().stream())
                .anyMatch(p -> p.backend() != null && service.equals(p.backend().serviceName()));
        return inRules || (ingress.defaultBackend() != null && service.equals(ingress.defaultBackend().serviceName()));
    }

    /** A TLS block of the Ingress names the Secret {@code secret}. */
    static boolean usesSecret(IngressInput ingress, String secret) {
        return ingress.tls().stream().anyMatch(t -> secret.equals(t.secretName()));
    }
}
