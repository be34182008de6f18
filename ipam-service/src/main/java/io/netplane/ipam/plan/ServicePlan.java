package io.netplane.ipam.plan;

import io.netplane.ipam.family.FieldError;
import java.util.List;

/**
 * The outcome of planning one Service admission: the Service with every allocatable field filled, the values newly
 * reserved for it ({@code grants}), the values it no longer holds ({@code releases}, to free once the write
 * committed), or the field errors that reject it (then nothing stays reserved).
 */
public record ServicePlan(ServiceRequest service, List<Grant> grants, List<Grant> releases, List<FieldError> errors) {
    public ServicePlan {
        grants = List.copyOf(grants);
        releases = List.copyOf(releases);
        errors = List.copyOf(errors);
    }

    public boolean ok() {
        return errors.isEmpty();
    }

    static ServicePlan rejected(ServiceRequest s, List<FieldError> errors) {
        return new ServicePlan(s, List.of(), List.of(), errors);
    }
}
