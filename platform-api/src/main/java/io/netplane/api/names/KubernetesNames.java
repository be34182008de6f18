package io.netplane.api.names;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Kubernetes name syntax: DNS-1123 labels and subdomains, and port names (IANA_SVC_NAME). */
public final class KubernetesNames {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern PORT_NAME_CHARS = Pattern.compile("[-a-z0-9]+");

    private KubernetesNames() {
    }

    public static boolean isDns1123Label(String s) {
        return validateDns1123Label(s).isEmpty();
    }

    public static boolean isDns1123Subdomain(String s) {
        return validateDns1123Subdomain(s).isEmpty();
    }

    public static boolean isPortName(String s) {
        return validatePortName(s).isEmpty();
    }

    public static List<String> validateDns1123Label(String s) {
        List<String> errors = new ArrayList<>();
        if (s == null || s.isEmpty()) {
            errors.add("must be non-empty");
            return errors;
        }
        if (s.length() > 63) {
            errors.add("must be no more than 63 characters");
        }
        if (!LABEL.matcher(s).matches()) {
            errors.add("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must "
                    + "start and end with an alphanumeric character (e.g. 'my-name', or '123-abc')");
        }
        return errors;
    }

    public static List<String> validateDns1123Subdomain(String s) {
        List<String> errors = new ArrayList<>();
        if (s == null || s.isEmpty()) {
            errors.add("must be non-empty");
            return errors;
        }
        if (s.length() > 253) {
            errors.add("must be no more than 253 characters");
        }
        for (String label : s.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                errors.add("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                        + "and must start and end with an alphanumeric character (e.g. 'example.com')");
                break;
            }
        }
        return errors;
    }

    /** IANA_SVC_NAME: 1-15 characters, lower-case alphanumerics and '-', a letter somewhere, no edge or double '-'. */
    public static List<String> validatePortName(String s) {
        List<String> errors = new ArrayList<>();
        if (s == null || s.isEmpty()) {
            errors.add("must be non-empty");
            return errors;
        }
        if (s.length() > 15) {
            errors.add("must be no more than 15 characters");
        }
        if (!PORT_NAME_CHARS.matcher(s).matches()) {
            errors.add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
        }
        if (s.contains("--")) {
            errors.add("must not contain consecutive hyphens");
        }
        if (s.chars().noneMatch(c -> c >= 'a' && c <= 'z')) {
            errors.add("must contain at least one letter (a-z)");
        }
        if (s.startsWith("-") || s.endsWith("-")) {
            errors.add("must not begin or end with a hyphen");
        }
        return errors;
    }
}
