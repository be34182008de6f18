package io.netplane.ipam.family;

import java.util.List;

/** The defaulted Service fields, or the field errors that reject the request (then {@code service} is the input). */
public record FamilyResolution(ServiceFields service, List<FieldError> errors) {
    public FamilyResolution {
        errors = List.copyOf(errors);
    }

    public boolean ok() {
        return errors.isEmpty();
    }

    static FamilyResolution of(ServiceFields s) {
        return new FamilyResolution(s, List.of());
    }

    static FamilyResolution rejected(ServiceFields s, List<FieldError> errors) {
        return new FamilyResolution(s, errors);
    }
}
