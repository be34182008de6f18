package io.netplane.ipam.api;

import io.netplane.ipam.authority.AddressAuthority;
import io.netplane.ipam.authority.PoolUsage;
import io.netplane.ipam.authority.RequestRejected;
import io.netplane.ipam.records.AllocationRecord;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** {@code /api/v1}: the allocation API. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class AllocationsResource {
    @Inject
    AddressAuthority authority;

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
    @APIResponse(responseCode = "201", description = "allocated now")
    @APIResponse(responseCode = "200", description = "this requestKey already holds it")
    @APIResponse(responseCode = "409", description = "the key holds something else, or the pool is exhausted")
    @APIResponse(responseCode = "422", description = "unknown pool, value out of range or already allocated")
    public Response allocate(AllocationRequest request) {
        if (request == null) {
            throw new RequestRejected(422, "body", "a JSON body {requestKey, pool, value} is required");
        }
        boolean existed = !authority.ownedBy(io.netplane.ipam.records.AllocationNames.external(
                request.requestKey() == null ? "" : request.requestKey())).isEmpty();
        AllocationRecord r = authority.allocateExternal(request.requestKey(), request.pool(), request.value());
        return Response.status(existed ? 200 : 201).entity(r).build();
    }

    @DELETE
    @Path("allocations/{requestKey}")
    @Operation(summary = "Release what a requestKey holds; releasing twice is fine")
    @APIResponse(responseCode = "204", description = "released (or nothing was held)")
    public Response release(@PathParam("requestKey") String requestKey) {
        authority.releaseExternal(requestKey);
        return Response.noContent().build();
    }
}
