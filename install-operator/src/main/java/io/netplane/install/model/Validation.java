package io.netplane.install.model;

import io.netplane.api.report.Problem;
import java.util.List;
import java.util.Optional;

/** What {@link SpecValidator} made of a spec: the settings when it is valid, else what is wrong with it. */
public record Validation(Optional<InstallSettings> settings, List<Problem> problems) {
    public Validation {
        problems = List.copyOf(problems);
    }

    public boolean valid() {
        return settings.isPresent();
    }
}
