package io.netplane.install.model;

/** Every name, label, key and annotation the install operator generates or looks for. */
public final class InstallNames {
    public static final String OPERATOR = "install-operator";
    public static final String CONFIG_MAP = "netplane-cluster";
    public static final String NODE_PROXY = "node-proxy";
    public static final String NODE_PROXY_CONTAINER = "node-proxy";
    public static final String DNS_SERVICE = "netplane-dns";
    public static final String WEBHOOK_SECRET = "ipam-service-tls";
    public static final String WEBHOOK_SECRET_CA_KEY = "ca.crt";
    public static final String STRIMZI_TOPIC_CRD = "kafkatopics.kafka.strimzi.io";

    public static final String LABEL_NAME = "app.kubernetes.io/name";
    public static final String LABEL_PART_OF = "app.kubernetes.io/part-of";
    public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String PART_OF = "netplane";
    public static final String DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class";
    public static final String CERT_MANAGER_INJECT_ANNOTATION = "cert-manager.io/inject-ca-from";

    /** The keys of the cluster ConfigMap: the settings the components read at start. */
    public static final String KAFKA_BOOTSTRAP_SERVERS = "KAFKA_BOOTSTRAP_SERVERS";
    public static final String SERVICE_CIDRS = "NETPLANE_SERVICE_CIDRS";
    public static final String POD_CIDRS = "NETPLANE_POD_CIDRS";
    public static final String IP_FAMILIES = "NETPLANE_IP_FAMILIES";
    public static final String DNS_ZONE = "NETPLANE_DNS_ZONE";
    public static final String DNS_ADDRESSES = "NETPLANE_DNS_ADDRESSES";
    public static final String INGRESS_CLASS = "NETPLANE_INGRESS_CLASS";

    /** node-proxy's own environment (its {@code netplane.proxy.*} settings). */
    public static final String PROXY_MODE = "NETPLANE_PROXY_MODE";
    public static final String PROXY_IP_FAMILIES = "NETPLANE_PROXY_IP_FAMILIES";
    public static final String PROXY_CLUSTER_CIDRS = "NETPLANE_PROXY_CLUSTER_CIDRS";
    public static final String PROXY_SERVICE_CIDRS = "NETPLANE_PROXY_SERVICE_CIDRS";
    public static final String PROXY_POLICY_ENFORCEMENT = "NETPLANE_PROXY_POLICY_ENFORCEMENT";

    private InstallNames() {
    }
}
