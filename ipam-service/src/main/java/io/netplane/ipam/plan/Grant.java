package io.netplane.ipam.plan;

/**
 * A value this plan reserved: kind {@code ClusterIP} (value = address, family set) or {@code NodePort}
 * (value = port number); {@code requested} when the user asked for it, {@code path} the field it fills.
 */
public record Grant(String kind, String value, String family, boolean requested, String path) {
    public static final String CLUSTER_IP = "ClusterIP";
    public static final String NODE_PORT = "NodePort";
}
