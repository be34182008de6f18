package io.netplane.ipam.access;

import java.util.List;

/** The two questions ipam-service asks the API server about a caller. */
public interface Reviews {
    /** TokenReview: who holds {@code token}, for {@code audiences} (empty: the API server's own). */
    TokenStatus authenticate(String token, List<String> audiences) throws ReviewUnavailable;

    /** SubjectAccessReview: may {@code user} do {@code permission}. */
    AccessStatus authorize(Identity user, Permission permission) throws ReviewUnavailable;
}
