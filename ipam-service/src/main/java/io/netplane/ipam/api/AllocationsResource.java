package io.netplane.ipam.api;

import io.netplane.ipam.access.AccessDecider;
import io.netplane.ipam.access.AccessDecision;
import io.netplane.ipam.access.Permission;
import io.netplane.ipam.authority.AddressAuthority;
import io.netplane.ipam.authority.PoolUsage;
import io.netplane.ipam.authority.RequestRejected;
import io.netplane.ipam.records.AllocationNames;
import io.netplane.ipam.records.AllocationRecord;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.jboss.logging.Logger;

/**
 * {@code /api/v1}: the allocation API. Reads are open; every write is first decided by the {@link AccessDecider}
 * (TokenReview + SubjectAccessReview), and a refused one touches nothing.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@SecurityScheme(securitySchemeName = AllocationsResource.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "A token the Kubernetes API server authenticates (e.g. a ServiceAccount token) of a user allowed "
                + "to create/delete allocations/external in API group netplane.io")
public class AllocationsResource {
    static final String BEARER = "kubernetes-bearer";

    private static final Logger LOG = Logger.getLogger(AllocationsResource.class);

    @Inject
    AddressAuthority authority;
    @Inject
    AccessDecider access;

    @GET
    @Path("pools")
    @Operation(summary = "Every pool (Service CIDRs, node ports, LoadBalancer pools, pod CIDRs) with its utilisation")
    public List<PoolUsage> pools() {
        return authority.usage();
    }

    @GET
    @Path("holders")
    @Operation(summary = "Who holds an address, a node port or a pod CIDR")
    @APIResponse(responseCode = "200", description = "the allocation record")
    @APIResponse(responseCode = "404", description = "the value is free")
    @APIResponse(responseCode = "400", description = "not an address, port or CIDR")
    public AllocationRecord holder(@QueryParam("value") String value) {
        return authority.holderOf(value)
                .orElseThrow(() -> new RequestRejected(404, "value", value + " is not allocated"));
    }

    @POST
    @Path("allocations")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Allocate a value for a consumer outside Kubernetes; idempotent by requestKey")
    @SecurityRequirement(name = BEARER)
    @APIResponse(responseCode = "201", description = "allocated now")
    @APIResponse(responseCode = "200", description = "this requestKey already holds it")
    @APIResponse(responseCode = "409", description = "the key holds something else, or the pool is exhausted")
    @APIResponse(responseCode = "422", description = "unknown pool, value out of range or already allocated")
    @APIResponse(responseCode = "401", description = "no bearer token, or one the Kubernetes API server rejects")
    @APIResponse(responseCode = "403",
            description = "the user may not create allocations/external in netplane.io (for the pool)")
    @APIResponse(responseCode = "503", description = "the Kubernetes API server could not review the request")
    public Response allocate(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, AllocationRequest request) {
        require(authorization, Permission.create(request == null ? null : request.pool()));
        if (request == null) {
            throw new RequestRejected(422, "body", "a JSON body {requestKey, pool, value} is required");
        }
        boolean existed = !authority.ownedBy(AllocationNames.external(
                request.requestKey() == null ? "" : request.requestKey())).isEmpty();
        AllocationRecord r = authority.allocateExternal(request.requestKey(), request.pool(), request.value());
        return Response.status(existed ? 200 : 201).entity(r).build();
    }

    @DELETE
    @Path("allocations/{requestKey}")
    @Operation(summary = "Release what a requestKey holds; releasing twice is fine")
    @SecurityRequirement(name = BEARER)
    @APIResponse(responseCode = "204", description = "released (or nothing was held)")
    @APIResponse(responseCode = "401", description = "no bearer token, or one the Kubernetes API server rejects")
    @APIResponse(responseCode = "403", description = "the user may not delete allocations/external in netplane.io")
    @APIResponse(responseCode = "503", description = "the Kubernetes API server could not review the request")
    public Response release(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("requestKey") String requestKey) {
        require(authorization, Permission.delete());
        authority.releaseExternal(requestKey);
        return Response.noContent().build();
    }

    private void require(String authorization, Permission permission) {
        AccessDecision d = access.decide(authorization, permission);
        if (!d.allowed()) {
            LOG.debugf("refused %s %s%s for %s: %d %s", permission.verb(), permission.rbacResource(),
                    permission.name().isEmpty() ? "" : " " + permission.name(),
                    d.user() == null ? "an unauthenticated caller" : d.user().username(), d.status(), d.message());
            throw new AccessRefused(d);
        }
    }
}
