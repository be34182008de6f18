package io.netplane.api.labels;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Kubernetes label selector (matchLabels plus matchExpressions). All terms are ANDed; an empty
 * selector matches every object. "No selector at all" (which matches nothing in most APIs) is the
 * caller's concern and is represented by {@code null}, not by this type.
 */
public record LabelSelector(Map<String, String> matchLabels, List<Requirement> matchExpressions) {

    public static final LabelSelector EVERYTHING = new LabelSelector(Map.of(), List.of());

    public LabelSelector {
        matchLabels = matchLabels == null ? Map.of() : Map.copyOf(matchLabels);
        matchExpressions = matchExpressions == null ? List.of() : List.copyOf(matchExpressions);
    }

    public static LabelSelector of(Map<String, String> matchLabels) {
        return new LabelSelector(matchLabels, List.of());
    }

    public boolean isEmpty() {
        return matchLabels.isEmpty() && matchExpressions.isEmpty();
    }

    public boolean matches(Map<String, String> labels) {
        Map<String, String> l = labels == null ? Map.of() : labels;
        for (Map.Entry<String, String> e : matchLabels.entrySet()) {
            if (!e.getValue().equals(l.get(e.getKey()))) {
                return false;
            }
        }
        for (Requirement r : matchExpressions) {
            if (!r.matches(l)) {
                return false;
            }
        }
        return true;
    }

    /** Validation errors as the API server words them; empty when valid. */
    public List<String> validate() {
        List<String> errors = new ArrayList<>();
        matchLabels.forEach((k, v) -> {
            errors.addAll(LabelValidation.validateKey(k).stream().map(m -> "matchLabels: " + m).toList());
            errors.addAll(LabelValidation.validateValue(v).stream().map(m -> "matchLabels[" + k + "]: " + m).toList());
        });
        for (int i = 0; i < matchExpressions.size(); i++) {
            String at = "matchExpressions[" + i + "]: ";
            errors.addAll(matchExpressions.get(i).validate().stream().map(m -> at + m).toList());
        }
        return errors;
    }

    /** A stable text form ("a=b,c in (x,y)") usable as a key for sharing work per distinct selector. */
    public String canonical() {
        List<String> terms = new ArrayList<>();
        new TreeMap<>(matchLabels).forEach((k, v) -> terms.add(k + "=" + v));
        matchExpressions.stream().map(Requirement::canonical).sorted().forEach(terms::add);
        return String.join(",", terms);
    }

    /** One matchExpressions entry. */
    public record Requirement(String key, Operator operator, List<String> values) {
        public Requirement {
            values = values == null ? List.of() : List.copyOf(values);
        }

        public boolean matches(Map<String, String> labels) {
            return switch (operator) {
                case In -> labels.containsKey(key) && values.contains(labels.get(key));
                case NotIn -> !labels.containsKey(key) || !values.contains(labels.get(key));
                case Exists -> labels.containsKey(key);
                case DoesNotExist -> !labels.containsKey(key);
            };
        }

        public List<String> validate() {
            List<String> errors = new ArrayList<>(LabelValidation.validateKey(key));
            boolean needsValues = operator == Operator.In || operator == Operator.NotIn;
            if (needsValues && values.isEmpty()) {
                errors.add("values: must be specified when `operator` is 'In' or 'NotIn'");
            }
            if (!needsValues && !values.isEmpty()) {
                errors.add("values: may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
            }
            values.forEach(v -> errors.addAll(LabelValidation.validateValue(v)));
            return errors;
        }

        String canonical() {
            return switch (operator) {
                case Exists -> key;
                case DoesNotExist -> "!" + key;
                default -> key + " " + operator.name().toLowerCase() + " (" + String.join(",", values.stream().sorted().toList()) + ")";
            };
        }
    }

    /** The four operators of matchExpressions. */
    public enum Operator {
        In, NotIn, Exists, DoesNotExist;

        public static Operator parse(String text) {
            for (Operator o : values()) {
                if (o.name().equals(text)) {
                    return o;
                }
            }
            throw new IllegalArgumentException("\"" + text + "\" is not a valid label selector operator");
        }
    }
}
