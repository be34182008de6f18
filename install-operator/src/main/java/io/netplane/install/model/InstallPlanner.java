package io.netplane.install.model;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.netplane.api.net.IpAddress;
import io.netplane.api.net.IpFamily;
import io.netplane.api.report.Problem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Plans every object the operator owns from valid settings, the k8s/ templates and the facts observed. Templates are
 * copied, never changed; namespaced objects go to the operator's namespace.
 */
public final class InstallPlanner {
    public static final String WEBHOOK_CERTIFICATE_MISSING = "WebhookCertificateMissing";
    private static final KubernetesSerialization COPIER = new KubernetesSerialization();

    private InstallPlanner() {
    }

    public static InstallPlan plan(InstallSettings settings, Templates templates, Facts facts) {
        ConfigMap configMap = configMap(settings, facts);
        List<Problem> problems = new ArrayList<>();
        Optional<MutatingWebhookConfiguration> webhook = Optional.empty();
        if (!facts.underOlm()) {
            webhook = facts.webhookCaBundle().map(ca -> ipamWebhook(templates.ipamWebhook(), ca, facts.namespace()));
            if (webhook.isEmpty()) {
                problems.add(Problem.warning(WEBHOOK_CERTIFICATE_MISSING, "Secret " + facts.namespace() + "/"
                        + InstallNames.WEBHOOK_SECRET + " with key " + InstallNames.WEBHOOK_SECRET_CA_KEY
                        + " not found: the ipam-service MutatingWebhookConfiguration is not written until it exists;"
                        + " create the serving certificate of the ipam-service Service (for example with"
                        + " cert-manager) in that Secret, with its CA in " + InstallNames.WEBHOOK_SECRET_CA_KEY));
            }
        }
        List<GenericKubernetesResource> topics = facts.strimziInstalled()
                ? templates.kafkaTopics().stream().map(t -> inNamespace(t, facts.namespace())).toList()
                : List.of();
        return new InstallPlan(configMap, nodeProxy(settings, templates.nodeProxy(), facts),
                ingressClass(settings, templates.ingressClass()), dnsService(settings, templates.dnsService(), facts),
                webhook, topics, ConfigHash.of(configMap.getData()), problems);
    }

    /** The settings every component reads at start (their Deployments refer to these keys). */
    static ConfigMap configMap(InstallSettings s, Facts facts) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(InstallNames.KAFKA_BOOTSTRAP_SERVERS, s.bootstrapServers());
        data.put(InstallNames.SERVICE_CIDRS, join(s.serviceCidrs()));
        data.put(InstallNames.POD_CIDRS, join(s.podCidrs()));
        data.put(InstallNames.IP_FAMILIES, families(s));
        data.put(InstallNames.DNS_ZONE, s.clusterDomain());
        data.put(InstallNames.DNS_ADDRESSES, join(s.dnsServiceIps()));
        data.put(InstallNames.INGRESS_CLASS, s.ingressClassName());
        return new ConfigMapBuilder().withNewMetadata().withName(InstallNames.CONFIG_MAP)
                .withNamespace(facts.namespace()).withLabels(labels()).endMetadata()
                .withData(data).build();
    }

    static DaemonSet nodeProxy(InstallSettings s, DaemonSet template, Facts facts) {
        DaemonSet ds = inNamespace(template, facts.namespace());
        Container proxy = ds.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> InstallNames.NODE_PROXY_CONTAINER.equals(c.getName())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the node-proxy DaemonSet template has no container "
                        + InstallNames.NODE_PROXY_CONTAINER));
        facts.nodeProxyImage().ifPresent(proxy::setImage);
        proxy.setEnv(withValues(proxy.getEnv(), Map.of(
                InstallNames.KAFKA_BOOTSTRAP_SERVERS, s.bootstrapServers(),
                InstallNames.PROXY_MODE, s.proxyMode(),
                InstallNames.PROXY_IP_FAMILIES, families(s),
                InstallNames.PROXY_CLUSTER_CIDRS, join(s.podCidrs()),
                InstallNames.PROXY_SERVICE_CIDRS, join(s.serviceCidrs()),
                InstallNames.PROXY_POLICY_ENFORCEMENT, Boolean.toString(s.policyEnforcement()))));
        return ds;
    }

    /** The template's variables in its order with {@code values} set, then the ones it lacked, by name. */
    private static List<EnvVar> withValues(List<EnvVar> template, Map<String, String> values) {
        List<EnvVar> out = new ArrayList<>();
        for (EnvVar v : template) {
            out.add(values.containsKey(v.getName()) ? new EnvVar(v.getName(), values.get(v.getName()), null) : v);
            // fieldRef is atomic for server-side apply: without the API server's default apiVersion the object it
            // stores never equals the one planned, and every reconcile would write it again
            if (v.getValueFrom() != null && v.getValueFrom().getFieldRef() != null
                    && v.getValueFrom().getFieldRef().getApiVersion() == null) {
                v.getValueFrom().getFieldRef().setApiVersion("v1");
            }
        }
        values.keySet().stream().sorted().filter(k -> out.stream().noneMatch(v -> v.getName().equals(k)))
                .forEach(k -> out.add(new EnvVar(k, values.get(k), null)));
        return out;
    }

    static IngressClass ingressClass(InstallSettings s, IngressClass template) {
        IngressClass ic = copy(template);
        ic.getMetadata().setName(s.ingressClassName());
        Map<String, String> annotations = new LinkedHashMap<>(orEmpty(ic.getMetadata().getAnnotations()));
        annotations.remove(InstallNames.DEFAULT_CLASS_ANNOTATION);
        if (s.defaultIngressClass()) {
            annotations.put(InstallNames.DEFAULT_CLASS_ANNOTATION, "true");
        }
        ic.getMetadata().setAnnotations(annotations);
        return ic;
    }

    /** The DNS Service with the spec's ClusterIPs; one family is SingleStack, two are RequireDualStack. */
    static Service dnsService(InstallSettings s, Service template, Facts facts) {
        Service svc = inNamespace(template, facts.namespace());
        List<String> ips = s.dnsServiceIps().stream().map(IpAddress::toString).toList();
        svc.getSpec().setClusterIP(ips.get(0));
        svc.getSpec().setClusterIPs(ips);
        svc.getSpec().setIpFamilies(s.dnsServiceIps().stream().map(ip -> ip.family().name()).toList());
        svc.getSpec().setIpFamilyPolicy(ips.size() == 1 ? "SingleStack" : "RequireDualStack");
        return svc;
    }

    /** The ipam-service webhook calling the Service in the operator's namespace, trusting the Secret's CA. */
    static MutatingWebhookConfiguration ipamWebhook(MutatingWebhookConfiguration template, String caBundle,
            String namespace) {
        MutatingWebhookConfiguration mwc = copy(template);
        for (MutatingWebhook webhook : mwc.getWebhooks()) {
            webhook.getClientConfig().setCaBundle(caBundle);
            if (webhook.getClientConfig().getService() != null) {
                webhook.getClientConfig().getService().setNamespace(namespace);
            }
        }
        Map<String, String> annotations = orEmpty(mwc.getMetadata().getAnnotations());
        if (annotations.containsKey(InstallNames.CERT_MANAGER_INJECT_ANNOTATION)) {
            Map<String, String> fixed = new LinkedHashMap<>(annotations);
            fixed.put(InstallNames.CERT_MANAGER_INJECT_ANNOTATION, namespace + "/" + InstallNames.WEBHOOK_SECRET);
            mwc.getMetadata().setAnnotations(fixed);
        }
        return mwc;
    }

    private static Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(InstallNames.LABEL_PART_OF, InstallNames.PART_OF);
        labels.put(InstallNames.LABEL_MANAGED_BY, InstallNames.OPERATOR);
        return labels;
    }

    private static String families(InstallSettings s) {
        return s.families().stream().map(IpFamily::name).collect(Collectors.joining(","));
    }

    private static String join(List<?> values) {
        return values.stream().map(Object::toString).collect(Collectors.joining(","));
    }

    private static <T extends HasMetadata> T inNamespace(T template, String namespace) {
        T copy = copy(template);
        if (copy.getMetadata() == null) {
            copy.setMetadata(new ObjectMeta());
        }
        copy.getMetadata().setNamespace(namespace);
        return copy;
    }

    private static <T> T copy(T template) {
        return COPIER.clone(template);
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }
}
