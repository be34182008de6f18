package io.netplane.ipam.family;

/**
 * One field-level error, shaped like Kubernetes' {@code field.Error}: a path such as {@code spec.clusterIPs[1]},
 * a type ({@code Invalid}, {@code Required}, {@code NotSupported}, {@code Duplicate}, {@code Forbidden}), the bad
 * value as text, and a detail.
 */
public record FieldError(String path, String type, String value, String detail) {

    public static FieldError invalid(String path, Object value, String detail) {
        return new FieldError(path, "Invalid", text(value), detail);
    }

    public static FieldError required(String path, String detail) {
        return new FieldError(path, "Required", null, detail);
    }

    public static FieldError notSupported(String path, Object value, String supported) {
        return new FieldError(path, "NotSupported", text(value), "supported values: " + supported);
    }

    public static FieldError duplicate(String path, Object value) {
        return new FieldError(path, "Duplicate", text(value), null);
    }

    private static String text(Object value) {
        return value == null ? "null" : value.toString();
    }

    /** Kubernetes' rendering: {@code spec.ipFamilyPolicy: Invalid value: "SingleStack": must be ...}. */
    @Override
    public String toString() {
        String kind = switch (type) {
            case "Invalid" -> "Invalid value";
            case "NotSupported" -> "Unsupported value";
            case "Duplicate" -> "Duplicate value";
            default -> type;
        };
        StringBuilder sb = new StringBuilder(path).append(": ").append(kind);
        if (value != null) {
            sb.append(": \"").append(value).append('"');
        }
        if (detail != null && !detail.isEmpty()) {
            sb.append(": ").append(detail);
        }
        return sb.toString();
    }
}
