package io.netplane.policy.reconciler;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.netplane.policy.config.PolicyOperatorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Tells users about invalid NetworkPolicies with a Warning Event on the policy (once per distinct error list),
 * and logs it with the policy's key.
 */
@ApplicationScoped
public class PolicyEvents {
    private static final Logger LOG = Logger.getLogger(PolicyEvents.class);
    static final String COMPONENT = "policy-operator.netplane.io";
    private final KubernetesClient client;
    private final PolicyOperatorConfig config;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, List<String>> reported = new ConcurrentHashMap<>();

    public PolicyEvents(KubernetesClient client, PolicyOperatorConfig config) {
        this.client = client;
        this.config = config;
    }

    public void invalid(String namespace, String name, String uid, List<String> errors) {
        String key = namespace + "/" + name;
        if (errors.equals(reported.put(key, errors))) {
            return;
        }
        String message = "NetworkPolicy " + key + " is invalid; the invalid rules are ignored and the policy still isolates "
                + "the Pods it selects: " + String.join("; ", errors);
        LOG.warnf("%s", message);
        Instant now = clock.instant();
        String ts = DateTimeFormatter.ISO_INSTANT.format(now);
        try {
            client.v1().events().inNamespace(namespace).resource(new EventBuilder()
                    .withNewMetadata().withNamespace(namespace)
                    .withName(name + "." + Long.toHexString(now.toEpochMilli()) + Long.toHexString(System.nanoTime() & 0xfff))
                    .endMetadata()
                    .withNewInvolvedObject().withApiVersion("networking.k8s.io/v1").withKind("NetworkPolicy")
                    .withNamespace(namespace).withName(name).withUid(uid).endInvolvedObject()
                    .withType("Warning").withReason(config.invalidReason()).withMessage(truncate(message))
                    .withFirstTimestamp(ts).withLastTimestamp(ts).withCount(1)
                    .withNewSource().withComponent(COMPONENT).endSource()
                    .build()).create();
        } catch (KubernetesClientException e) {
            LOG.warnf("could not record the Event for NetworkPolicy %s: %s", key, e.getMessage());
        }
    }

    /** The policy is valid again or gone: a later error is reported afresh. */
    public void forget(String namespace, String name) {
        reported.remove(namespace + "/" + name);
    }

    private static String truncate(String m) {
        return m.length() > 1000 ? m.substring(0, 997) + "..." : m;
    }
}
