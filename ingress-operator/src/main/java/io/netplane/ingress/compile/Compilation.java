package io.netplane.ingress.compile;

import io.netplane.api.events.RouteView;
import io.netplane.api.report.Problem;
import java.util.List;

/**
 * The result of compiling one Ingress.
 *
 * @param route what to publish on the routes topic; null when the Ingress is not of a class this controller
 *     implements (its key is then tombstoned)
 * @param problems what the controller cannot serve as written, one Warning Event each
 */
public record Compilation(ClassResolution resolution, RouteView route, List<Problem> problems) {

    public Compilation {
        problems = List.copyOf(problems);
    }

    public boolean served() {
        return route != null;
    }
}
