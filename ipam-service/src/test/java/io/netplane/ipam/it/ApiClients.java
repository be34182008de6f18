package io.netplane.ipam.it;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netplane.ipam.access.Permission;
import java.time.Duration;
import java.util.List;

/**
 * REST API clients as ServiceAccounts of the real API server: a token from the TokenRequest API, and a ClusterRole +
 * ClusterRoleBinding granting verbs on {@code allocations/external} in {@code netplane.io} (what the README tells
 * users to create), awaited until the API server's RBAC authorizer applies it.
 */
final class ApiClients {
    private ApiClients() {
    }

    /** A fresh token of ServiceAccount {@code namespace/name} (both created if missing), valid for an hour. */
    static String token(KubernetesClient admin, String namespace, String name) {
        if (admin.namespaces().withName(namespace).get() == null) {
            admin.resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
        }
        if (admin.serviceAccounts().inNamespace(namespace).withName(name).get() == null) {
            admin.resource(new ServiceAccountBuilder().withNewMetadata().withNamespace(namespace).withName(name)
                    .endMetadata().build()).create();
        }
        return admin.serviceAccounts().inNamespace(namespace).withName(name)
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
                .getStatus().getToken();
    }

    static String user(String namespace, String name) {
        return "system:serviceaccount:" + namespace + ":" + name;
    }

    /** Grants {@code verbs} on {@code allocations/external} (in {@code pools} only, when any are given). */
    static void grant(KubernetesClient admin, String namespace, String name, List<String> verbs, List<String> pools) {
        String role = roleName(namespace, name);
        admin.resource(new ClusterRoleBuilder().withNewMetadata().withName(role).endMetadata()
                .withRules(new PolicyRuleBuilder().withApiGroups(Permission.GROUP)
                        .withResources(Permission.RESOURCE + "/" + Permission.SUBRESOURCE)
                        .withVerbs(verbs).withResourceNames(pools.isEmpty() ? null : pools).build())
                .build()).forceConflicts().serverSideApply();
        admin.resource(new ClusterRoleBindingBuilder().withNewMetadata().withName(role).endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName(role)
                .endRoleRef()
                .addNewSubject().withKind("ServiceAccount").withNamespace(namespace).withName(name).endSubject()
                .build()).forceConflicts().serverSideApply();
        for (String verb : verbs) {
            String pool = pools.isEmpty() ? null : pools.get(0);
            await().atMost(Duration.ofSeconds(30)).until(() -> allowed(admin, user(namespace, name), verb, pool));
        }
    }

    static void revoke(KubernetesClient admin, String namespace, String name) {
        admin.rbac().clusterRoleBindings().withName(roleName(namespace, name)).delete();
        admin.rbac().clusterRoles().withName(roleName(namespace, name)).delete();
    }

    /** The API server's own answer, past ipam-service's cache. */
    static boolean allowed(KubernetesClient admin, String user, String verb, String pool) {
        return Boolean.TRUE.equals(admin.authorization().v1().subjectAccessReview().create(
                new SubjectAccessReviewBuilder().withNewSpec().withUser(user)
                        .withGroups("system:serviceaccounts", "system:authenticated")
                        .withNewResourceAttributes().withVerb(verb).withGroup(Permission.GROUP)
                        .withResource(Permission.RESOURCE).withSubresource(Permission.SUBRESOURCE).withName(pool)
                        .endResourceAttributes().endSpec().build()).getStatus().getAllowed());
    }

    private static String roleName(String namespace, String name) {
        return "ipam-api-client-" + namespace + "-" + name;
    }
}
