package io.netplane.ipam.access;

/**
 * What a write through the REST API needs, as a SubjectAccessReview resource attribute that ordinary RBAC grants:
 * {@code verb} on {@code allocations/external} in API group {@code netplane.io}, cluster-scoped (pools are
 * cluster-wide), with the pool as the resource name for a create that names one.
 *
 * <p>The subresource keeps the grant apart from the {@code Allocation} records themselves: a client allowed to
 * allocate through ipam-service must not thereby be allowed to create or delete {@code allocations.netplane.io}
 * objects in the API server (which would let it forge or drop any Service's claim). The API server serves no
 * {@code allocations/external}, so granting it grants nothing there.
 */
public record Permission(String verb, String group, String resource, String subresource, String name) {
    public static final String GROUP = "netplane.io";
    public static final String RESOURCE = "allocations";
    public static final String SUBRESOURCE = "external";

    public Permission {
        name = name == null ? "" : name;
    }

    /** {@code POST /api/v1/allocations}: create, named by the pool when the request names one. */
    public static Permission create(String pool) {
        return new Permission("create", GROUP, RESOURCE, SUBRESOURCE, pool == null ? "" : pool.strip());
    }

    /** {@code DELETE /api/v1/allocations/{requestKey}}. */
    public static Permission delete() {
        return new Permission("delete", GROUP, RESOURCE, SUBRESOURCE, "");
    }

    /** {@code allocations/external}, as RBAC rules spell it. */
    public String rbacResource() {
        return subresource.isEmpty() ? resource : resource + "/" + subresource;
    }
}
