package io.netplane.api.labels;

import io.netplane.api.names.KubernetesNames;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Label key and value syntax, with the API server's messages. */
public final class LabelValidation {
    private static final Pattern QUALIFIED_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");

    private LabelValidation() {
    }

    /** A key is an optional DNS-1123 subdomain prefix and "/", then a name of at most 63 characters. */
    public static List<String> validateKey(String key) {
        List<String> errors = new ArrayList<>();
        if (key == null || key.isEmpty()) {
            errors.add("label key must be non-empty");
            return errors;
        }
        String name = key;
        int slash = key.indexOf('/');
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            if (prefix.isEmpty()) {
                errors.add("\"" + key + "\": prefix part must be non-empty");
            } else {
                KubernetesNames.validateDns1123Subdomain(prefix).forEach(m -> errors.add("\"" + key + "\": prefix part " + m));
            }
        }
        if (name.isEmpty() || name.length() > 63 || !QUALIFIED_NAME.matcher(name).matches()) {
            errors.add("\"" + key + "\": name part must consist of alphanumeric characters, '-', '_' or '.', start and end "
                    + "with an alphanumeric character, and be at most 63 characters");
        }
        return errors;
    }

    /** A value is empty or at most 63 characters of the qualified-name alphabet. */
    public static List<String> validateValue(String value) {
        if (value == null || value.isEmpty()) {
            return List.of();
        }
        if (value.length() > 63 || !QUALIFIED_NAME.matcher(value).matches()) {
            return List.of("\"" + value + "\": a valid label value must be 63 characters or less and must be empty or "
                    + "begin and end with an alphanumeric character ([a-z0-9A-Z]) with dashes, underscores, dots and alphanumerics between");
        }
        return List.of();
    }
}
