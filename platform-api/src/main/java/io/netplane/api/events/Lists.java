package io.netplane.api.events;

import java.util.List;
import java.util.Map;

/** Null-to-empty normalisation for event records, so consumers never see a null collection. */
final class Lists {
    private Lists() {
    }

    static <T> List<T> of(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    static Map<String, String> of(Map<String, String> map) {
        return map == null ? Map.of() : Map.copyOf(map);
    }
}
