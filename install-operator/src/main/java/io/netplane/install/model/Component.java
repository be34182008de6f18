package io.netplane.install.model;

import java.util.Arrays;
import java.util.List;

/**
 * The Netplane components whose state the Netplane status reports: the Deployments OLM (or k8s/) installs, and the
 * node-proxy DaemonSet this operator owns. Each has its workload name and its status condition type.
 */
public enum Component {
    ENDPOINTS_OPERATOR("endpoints-operator", "EndpointsOperatorAvailable", Kind.Deployment),
    IPAM_SERVICE("ipam-service", "IpamServiceAvailable", Kind.Deployment),
    DNS_SERVICE("dns-service", "DnsServiceAvailable", Kind.Deployment),
    INGRESS_CONTROLLER("ingress-controller", "IngressControllerAvailable", Kind.Deployment),
    INGRESS_GATEWAY("ingress-gateway", "IngressGatewayAvailable", Kind.Deployment),
    POLICY_OPERATOR("policy-operator", "PolicyOperatorAvailable", Kind.Deployment),
    NODE_PROXY(InstallNames.NODE_PROXY, "NodeProxyAvailable", Kind.DaemonSet);

    public enum Kind { Deployment, DaemonSet }

    private final String workload;
    private final String conditionType;
    private final Kind kind;

    Component(String workload, String conditionType, Kind kind) {
        this.workload = workload;
        this.conditionType = conditionType;
        this.kind = kind;
    }

    /** The Deployment's or DaemonSet's name, also its Pods' {@code app.kubernetes.io/name}. */
    public String workload() {
        return workload;
    }

    public String conditionType() {
        return conditionType;
    }

    public Kind kind() {
        return kind;
    }

    /** The components that run as Deployments: their Pods are restarted when the cluster ConfigMap changes. */
    public static List<Component> deployments() {
        return Arrays.stream(values()).filter(c -> c.kind == Kind.Deployment).toList();
    }
}
