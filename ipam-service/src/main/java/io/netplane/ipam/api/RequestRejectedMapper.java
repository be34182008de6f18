package io.netplane.ipam.api;

import io.netplane.ipam.authority.RequestRejected;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Turns a refused request into its status with an {@link ApiError} body. */
@Provider
public class RequestRejectedMapper implements ExceptionMapper<RequestRejected> {
    @Override
    public Response toResponse(RequestRejected e) {
        return Response.status(e.status()).type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(e.status(), e.field(), e.getMessage())).build();
    }
}
