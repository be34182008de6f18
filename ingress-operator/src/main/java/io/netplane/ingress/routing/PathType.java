package io.netplane.ingress.routing;

/** The Ingress path types; ImplementationSpecific is matched as Prefix by this controller. */
public enum PathType {
    EXACT,
    PREFIX;

    /** Parses the API spelling; ImplementationSpecific maps to Prefix; anything else is null (invalid). */
    public static PathType parse(String apiValue) {
        if (apiValue == null) {
            return null;
        }
        return switch (apiValue) {
            case "Exact" -> EXACT;
            case "Prefix", "ImplementationSpecific" -> PREFIX;
            default -> null;
        };
    }
}
