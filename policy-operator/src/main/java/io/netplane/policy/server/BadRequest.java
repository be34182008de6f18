package io.netplane.policy.server;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** A 4xx with a JSON reason. */
final class BadRequest extends WebApplicationException {
    BadRequest(Response.Status status, String reason) {
        super(reason, Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("reason", reason)).build());
    }

    static BadRequest of(String reason) {
        return new BadRequest(Response.Status.BAD_REQUEST, reason);
    }

    static BadRequest notFound(String reason) {
        return new BadRequest(Response.Status.NOT_FOUND, reason);
    }
}
