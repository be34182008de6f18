package io.netplane.endpoints.slicing;

import io.netplane.api.events.PodView;
import java.time.Instant;
import java.util.Objects;

/**
 * The part of a Pod the slice controller keeps: its view and its Ready condition's last transition time, replaced as
 * one value. A sync that saw the new view with the old time would publish the change without its trigger time, and
 * never again with it.
 *
 * @param readySince the Ready condition's {@code lastTransitionTime} (the Pod's trigger time upstream), or null
 */
public record SlicePod(PodView view, Instant readySince) {
    public SlicePod {
        Objects.requireNonNull(view, "view");
    }

    public String key() {
        return view.namespace() + "/" + view.name();
    }
}
