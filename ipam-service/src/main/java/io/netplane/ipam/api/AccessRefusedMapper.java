package io.netplane.ipam.api;

import io.netplane.ipam.access.AccessDecision;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A refused write as its status and an {@link ApiError}; a 401 carries the {@code WWW-Authenticate} challenge. */
@Provider
public class AccessRefusedMapper implements ExceptionMapper<AccessRefused> {
    @Override
    public Response toResponse(AccessRefused e) {
        AccessDecision d = e.decision();
        Response.ResponseBuilder r = Response.status(d.status()).type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(d.status(), d.status() == 401 ? HttpHeaders.AUTHORIZATION : null, d.message()));
        if (d.challenge() != null) {
            r.header(HttpHeaders.WWW_AUTHENTICATE, d.challenge());
        }
        return r.build();
    }
}
