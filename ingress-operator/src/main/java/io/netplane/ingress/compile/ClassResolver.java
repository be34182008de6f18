package io.netplane.ingress.compile;

import io.netplane.api.report.Problem;
import java.util.List;
import java.util.Objects;

/**
 * Resolves an Ingress's class: {@code spec.ingressClassName}; else the legacy {@code kubernetes.io/ingress.class}
 * annotation (its value taken as an IngressClass name); else the single IngressClass annotated
 * {@code ingressclass.kubernetes.io/is-default-class: "true"}. More than one default class means no class, as
 * the Kubernetes documentation tells the admission controller to refuse such Ingresses. The Ingress is ours
 * when the resolved IngressClass exists and its {@code spec.controller} is this controller's name.
 */
public final class ClassResolver {

    public static final String LEGACY_ANNOTATION = "kubernetes.io/ingress.class";
    public static final String DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class";

    private ClassResolver() {
    }

    public static ClassResolution resolve(IngressInput ingress, List<IngressClassInput> classes, String controller) {
        String name = ingress.ingressClassName();
        String source = "field";
        if (isBlank(name)) {
            name = ingress.annotations().get(LEGACY_ANNOTATION);
            source = "annotation";
        }
        if (isBlank(name)) {
            List<IngressClassInput> defaults = classes.stream().filter(IngressClassInput::isDefault).toList();
            if (defaults.isEmpty()) {
                return new ClassResolution(null, "none", false, null);
            }
            if (defaults.size() > 1) {
                boolean anyOurs = defaults.stream().anyMatch(c -> controller.equals(c.controller()));
                Problem problem = anyOurs ? Problem.warning("AmbiguousDefaultClass",
                        "Ingress has no class and " + defaults.size() + " IngressClasses are marked default ("
                                + String.join(", ", defaults.stream().map(IngressClassInput::name).toList())
                                + "); set spec.ingressClassName") : null;
                return new ClassResolution(null, "default", false, problem);
            }
            name = defaults.get(0).name();
            source = "default";
        }
        final String resolved = name.trim();
        boolean ours = classes.stream()
                .anyMatch(c -> c.name().equals(resolved) && Objects.equals(controller, c.controller()));
        return new ClassResolution(resolved, source, ours, null);
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
