package io.netplane.ipam.kube;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatus;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.netplane.ipam.access.AccessStatus;
import io.netplane.ipam.access.Identity;
import io.netplane.ipam.access.Permission;
import io.netplane.ipam.access.ReviewUnavailable;
import io.netplane.ipam.access.Reviews;
import io.netplane.ipam.access.TokenStatus;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The reviews as API calls: {@code TokenReview} (authentication.k8s.io/v1) and {@code SubjectAccessReview}
 * (authorization.k8s.io/v1), answers cut down at this edge. Each call gets {@code timeout} and one retry instead of
 * the client's defaults, so an unreachable API server is a prompt 503 rather than a request hanging for a minute.
 * ipam-service's own identity needs {@code create} on both (k8s/ipam-service/rbac.yaml).
 */
public final class KubernetesReviews implements Reviews {
    private static final Logger LOG = Logger.getLogger(KubernetesReviews.class);

    private final KubernetesClient client;

    public KubernetesReviews(KubernetesClient client, Duration timeout) {
        this.client = client.newClient(new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
                .withRequestTimeout((int) timeout.toMillis())
                .withRequestRetryBackoffLimit(1)
                .build()).adapt(KubernetesClient.class);
    }

    @Override
    public TokenStatus authenticate(String token, List<String> audiences) throws ReviewUnavailable {
        TokenReview review = new TokenReviewBuilder().withNewSpec().withToken(token)
                .withAudiences(audiences.isEmpty() ? null : audiences).endSpec().build();
        TokenReviewStatus status;
        try {
            status = client.authentication().v1().tokenReviews().create(review).getStatus();
        } catch (RuntimeException e) {
            throw unavailable("TokenReview", "tokenreviews.authentication.k8s.io", e);
        }
        if (status == null || !Boolean.TRUE.equals(status.getAuthenticated())) {
            return TokenStatus.rejected(status == null ? "" : status.getError());
        }
        UserInfo user = status.getUser() == null ? new UserInfo() : status.getUser();
        return TokenStatus.of(new Identity(user.getUsername(), user.getUid(), user.getGroups(), user.getExtra()),
                status.getAudiences());
    }

    @Override
    public AccessStatus authorize(Identity user, Permission p) throws ReviewUnavailable {
        SubjectAccessReview review = new SubjectAccessReviewBuilder().withNewSpec()
                .withUser(user.username()).withUid(user.uid().isEmpty() ? null : user.uid())
                .withGroups(user.groups()).withExtra(user.extra())
                .withNewResourceAttributes().withVerb(p.verb()).withGroup(p.group()).withResource(p.resource())
                .withSubresource(p.subresource().isEmpty() ? null : p.subresource())
                .withName(p.name().isEmpty() ? null : p.name()).endResourceAttributes()
                .endSpec().build();
        SubjectAccessReviewStatus status;
        try {
            status = client.authorization().v1().subjectAccessReview().create(review).getStatus();
        } catch (RuntimeException e) {
            throw unavailable("SubjectAccessReview", "subjectaccessreviews.authorization.k8s.io", e);
        }
        if (status == null || !Boolean.TRUE.equals(status.getAllowed())) {
            if (status != null && status.getEvaluationError() != null && !status.getEvaluationError().isEmpty()) {
                LOG.debugf("SubjectAccessReview of %s for %s %s: %s", user.username(), p.verb(), p.rbacResource(),
                        status.getEvaluationError());
            }
            return AccessStatus.deny(status == null ? "" : status.getReason());
        }
        return AccessStatus.allow();
    }

    /** Built from the status code and the cause only: a client exception's message may quote the request. */
    private static ReviewUnavailable unavailable(String review, String resource, RuntimeException e) {
        String why;
        if (e instanceof KubernetesClientException k && k.getCode() == 403) {
            why = "the API server refused ipam-service's " + review + " (HTTP 403): its ServiceAccount needs create on "
                    + resource;
        } else if (e instanceof KubernetesClientException k && k.getCode() > 0) {
            why = "the API server answered the " + review + " with HTTP " + k.getCode();
        } else {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            why = "the API server is unreachable for the " + review + ": " + root.getClass().getSimpleName()
                    + (root.getMessage() == null ? "" : " " + root.getMessage());
        }
        LOG.warn(why);
        return new ReviewUnavailable(why, null);
    }
}
