package io.netplane.endpoints.slicing;

import java.util.Map;

/** Reads the topology annotations of a Service (upstream {@code hintsEnabled}). */
public final class TopologyMode {
    public static final String MODE = "service.kubernetes.io/topology-mode";
    public static final String DEPRECATED_HINTS = "service.kubernetes.io/topology-aware-hints";

    private TopologyMode() {
    }

    /** {@code Auto}/{@code auto} in the deprecated annotation if present, else in topology-mode. */
    public static boolean isAuto(Map<String, String> annotations) {
        if (annotations == null) {
            return false;
        }
        String value = annotations.containsKey(DEPRECATED_HINTS) ? annotations.get(DEPRECATED_HINTS)
                : annotations.get(MODE);
        return "Auto".equals(value) || "auto".equals(value);
    }
}
