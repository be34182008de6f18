package io.netplane.ipam.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The write decision over canned reviews: each row is an {@code Authorization} header, the permission asked for and
 * the answer. "-" is no header at all (null), {@code ''} an empty one.
 */
class AccessDeciderTest {
    static final Identity CLIENT = new Identity("system:serviceaccount:vm:client", "6a1f-uid",
            List.of("system:serviceaccounts", "system:serviceaccounts:vm", "system:authenticated"),
            Map.of("authentication.kubernetes.io/credential-id", List.of("JTI=7c2e")));
    static final Identity RELEASER = new Identity("releaser", "", List.of("system:authenticated"), Map.of());
    static final Identity PICKY = new Identity("picky", "", List.of(), Map.of());
    static final Identity FLAKY = new Identity("flaky", "", List.of(), Map.of());

    /** Canned TokenReview and SubjectAccessReview answers; remembers who was asked about. */
    static final class CannedReviews implements Reviews {
        final List<Identity> authorized = new ArrayList<>();
        final List<List<String>> audiencesAsked = new ArrayList<>();
        /** user/verb/pool triples RBAC allows ("*" any pool). */
        final Set<String> grants = Set.of(CLIENT.username() + "/create/service-IPv4", RELEASER.username() + "/delete/*");

        @Override
        public TokenStatus authenticate(String token, List<String> audiences) throws ReviewUnavailable {
            audiencesAsked.add(audiences);
            return switch (token) {
                case "client-token" -> TokenStatus.of(CLIENT, audiences);
                case "releaser-token" -> TokenStatus.of(RELEASER, List.of());
                case "picky-token" -> TokenStatus.of(PICKY, List.of());
                case "flaky-token" -> TokenStatus.of(FLAKY, List.of());
                case "other-audience" -> TokenStatus.of(CLIENT, List.of("vault"));
                case "nameless" -> TokenStatus.of(new Identity("", "", List.of(), Map.of()), List.of());
                case "expired" -> TokenStatus.rejected("service account token has expired");
                case "down" -> throw new ReviewUnavailable("the API server is unreachable for the TokenReview: "
                        + "ConnectException Connection refused", null);
                default -> TokenStatus.rejected("");
            };
        }

        @Override
        public AccessStatus authorize(Identity user, Permission p) throws ReviewUnavailable {
            authorized.add(user);
            if (user.equals(FLAKY)) {
                throw new ReviewUnavailable("the API server answered the SubjectAccessReview with HTTP 500", null);
            }
            if (user.equals(PICKY)) {
                return AccessStatus.deny("denied by the cluster's webhook authorizer");
            }
            boolean allowed = grants.contains(user.username() + "/" + p.verb() + "/" + p.name())
                    || grants.contains(user.username() + "/" + p.verb() + "/*");
            return allowed ? AccessStatus.allow() : AccessStatus.deny("");
        }
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // header                  | verb   | pool          | status | message contains                                             | challenge
            "-                         | create | service-IPv4  | 401    | needs an \"Authorization: Bearer <token>\" header             | Bearer realm=\"netplane-ipam\"",
            "''                        | create | service-IPv4  | 401    | needs an \"Authorization: Bearer <token>\" header             | Bearer realm=\"netplane-ipam\"",
            "Basic dXNlcjpwYXNz        | create | service-IPv4  | 401    | is not \"Bearer <token>\"                                     | Bearer realm=\"netplane-ipam\", error=\"invalid_token\"",
            "Bearer                    | create | service-IPv4  | 401    | is not \"Bearer <token>\"                                     | Bearer realm=\"netplane-ipam\", error=\"invalid_token\"",
            "Bearer client-token extra | create | service-IPv4  | 401    | is not \"Bearer <token>\"                                     | Bearer realm=\"netplane-ipam\", error=\"invalid_token\"",
            "Bearer expired            | create | service-IPv4  | 401    | did not authenticate the bearer token: service account token has expired | Bearer realm=\"netplane-ipam\", error=\"invalid_token\"",
            "Bearer made-up            | create | service-IPv4  | 401    | did not authenticate the bearer token                        | Bearer realm=\"netplane-ipam\", error=\"invalid_token\"",
            "Bearer nameless           | create | service-IPv4  | 401    | did not authenticate the bearer token                        | Bearer realm=\"netplane-ipam\", error=\"invalid_token\"",
            "Bearer down               | create | service-IPv4  | 503    | cannot authenticate the request now (the API server is unreachable | -",
            "Bearer client-token       | create | service-IPv4  | 200    | ''                                                           | -",
            // the scheme is case-insensitive (RFC 7235 2.1); surrounding blanks are not part of the token
            "'  bearer   client-token '| create | service-IPv4  | 200    | ''                                                           | -",
            "Bearer client-token       | create | node-ports    | 403    | User \"system:serviceaccount:vm:client\" cannot create resource \"allocations/external\" in API group \"netplane.io\" (pool \"node-ports\") at the cluster scope | -",
            "Bearer client-token       | delete | -             | 403    | User \"system:serviceaccount:vm:client\" cannot delete resource \"allocations/external\" in API group \"netplane.io\" at the cluster scope | -",
            "Bearer releaser-token     | delete | -             | 200    | ''                                                           | -",
            "Bearer releaser-token     | create | service-IPv4  | 403    | User \"releaser\" cannot create                               | -",
            "Bearer picky-token        | create | service-IPv4  | 403    | at the cluster scope: denied by the cluster's webhook authorizer | -",
            "Bearer flaky-token        | create | service-IPv4  | 503    | cannot authorize user \"flaky\" now (the API server answered the SubjectAccessReview with HTTP 500) | -",
    })
    void decisions(String header, String verb, String pool, int status, String message, String challenge) {
        CannedReviews reviews = new CannedReviews();
        Permission p = "create".equals(verb) ? Permission.create(pool) : Permission.delete();
        AccessDecision d = AccessDecider.reviewedBy(reviews, List.of()).decide(header, p);
        assertThat(d.status()).as(d.message()).isEqualTo(status);
        assertThat(d.message()).contains(message);
        assertThat(d.challenge()).isEqualTo(challenge);
        assertThat(d.allowed()).isEqualTo(status == 200);
        if (status == 401) {
            assertThat(reviews.authorized).as("no SubjectAccessReview for a caller nobody knows").isEmpty();
        }
        if (header != null) {
            assertThat(d.message()).as("the token is never echoed").doesNotContain("client-token");
        }
    }

    @Test
    void theSubjectAccessReviewCarriesTheUserAsAuthenticated() {
        CannedReviews reviews = new CannedReviews();
        AccessDecision d = AccessDecider.reviewedBy(reviews, List.of()).decide("Bearer client-token",
                Permission.create("service-IPv4"));
        assertThat(d.allowed()).isTrue();
        assertThat(d.user()).isEqualTo(CLIENT);
        assertThat(reviews.authorized).containsExactly(CLIENT);
        assertThat(reviews.authorized.get(0).groups()).contains("system:serviceaccounts:vm");
        assertThat(reviews.authorized.get(0).uid()).isEqualTo("6a1f-uid");
        assertThat(reviews.authorized.get(0).extra()).containsKey("authentication.kubernetes.io/credential-id");
    }

    /** A TokenReview that sets spec.audiences must see one of them in status.audiences (TokenReview API docs). */
    @ParameterizedTest(name = "{0} for {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "client-token   | ipam-service        | 200", // the API server echoes the audience the token is for
            "client-token   | ipam-service;other  | 200",
            "other-audience | ipam-service        | 401", // valid, but for someone else
            "releaser-token | ipam-service        | 401", // empty status.audiences: not audience-aware, refuse
    })
    void audiences(String token, String audiences, int status) {
        CannedReviews reviews = new CannedReviews();
        List<String> wanted = List.of(audiences.split(";"));
        AccessDecision d = AccessDecider.reviewedBy(reviews, wanted).decide("Bearer " + token,
                Permission.create("service-IPv4"));
        assertThat(reviews.audiencesAsked).containsExactly(wanted);
        assertThat(d.status()).as(d.message()).isEqualTo(status);
        if (status == 401) {
            assertThat(d.message()).startsWith("the bearer token is not valid for the audience");
        }
    }

    @Test
    void openAllowsEveryoneWithoutAsking() {
        AccessDecider open = AccessDecider.open();
        assertThat(open.isOpen()).isTrue();
        AccessDecision d = open.decide(null, Permission.delete());
        assertThat(d.allowed()).isTrue();
        assertThat(d.user()).isEqualTo(Identity.UNAUTHENTICATED);
    }

    @Test
    void thePoolIsTheResourceNameOfACreate() {
        assertThat(Permission.create(" service-IPv4 ")).isEqualTo(new Permission("create", "netplane.io",
                "allocations", "external", "service-IPv4"));
        assertThat(Permission.create(null).name()).isEmpty();
        assertThat(Permission.delete().name()).isEmpty();
        assertThat(Permission.delete().rbacResource()).isEqualTo("allocations/external");
    }
}
