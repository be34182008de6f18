package io.netplane.endpoints.slicing;

import java.util.HashMap;
import java.util.Map;

/**
 * The labels of a Service's slices (upstream {@code setEndpointSliceLabels}): the Service's labels except the reserved
 * keys, plus {@code kubernetes.io/service-name}, {@code endpointslice.kubernetes.io/managed-by} and, for a Service
 * without a ClusterIP, {@code service.kubernetes.io/headless}.
 */
public final class SliceLabels {
    public static final String SERVICE_NAME = "kubernetes.io/service-name";
    public static final String MANAGED_BY = "endpointslice.kubernetes.io/managed-by";
    public static final String HEADLESS = "service.kubernetes.io/headless";

    private SliceLabels() {
    }

    static boolean isReserved(String key) {
        return SERVICE_NAME.equals(key) || MANAGED_BY.equals(key) || HEADLESS.equals(key);
    }

    /**
     * True when a slice with these labels belongs to the controller with this managed-by value, which then plans from
     * it (updates, deletes). Upstream's controllers select their slices the same way: a slice of any other writer (the
     * mirroring controller, a user, another controller, no managed-by label at all) is never adopted or touched.
     */
    public static boolean isManagedBy(Map<String, String> labels, String managedBy) {
        return labels != null && managedBy.equals(labels.get(MANAGED_BY));
    }

    /** The labels a slice of this Service must carry. */
    public static Map<String, String> desired(SliceService service, String managedBy) {
        Map<String, String> out = userLabels(service.labels());
        if (service.headless()) {
            out.put(HEADLESS, "");
        }
        out.put(SERVICE_NAME, service.name());
        out.put(MANAGED_BY, managedBy);
        return out;
    }

    /**
     * True when the slice's non-reserved labels differ from the Service's. As upstream, a change of only the reserved
     * labels does not by itself cause an update.
     */
    static boolean userLabelsChanged(Map<String, String> sliceLabels, SliceService service) {
        return !userLabels(sliceLabels).equals(userLabels(service.labels()));
    }

    private static Map<String, String> userLabels(Map<String, String> labels) {
        Map<String, String> out = new HashMap<>();
        labels.forEach((k, v) -> {
            if (!isReserved(k)) {
                out.put(k, v);
            }
        });
        return out;
    }
}
