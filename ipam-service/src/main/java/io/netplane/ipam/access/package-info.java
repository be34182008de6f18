/**
 * Who may write through the REST API, decided the way kube-rbac-proxy and aggregated API servers decide it: the
 * bearer token is reviewed by the API server (TokenReview), then the user's permission (SubjectAccessReview). Pure:
 * the reviews come through the narrow {@link io.netplane.ipam.access.Reviews} interface, the cache takes a clock.
 */
package io.netplane.ipam.access;
