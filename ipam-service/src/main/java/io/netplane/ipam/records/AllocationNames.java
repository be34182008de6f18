package io.netplane.ipam.records;

import io.netplane.api.events.ObjectRef;
import io.netplane.api.net.Cidr;
import io.netplane.api.net.IpAddress;

/**
 * Every generated name of ipam-service. An allocation's name is derived from its value alone, so two allocators
 * (two replicas, or ipam-service and a restart of itself) racing for the same value race to create the same object
 * name, and the API server lets exactly one win. All addresses share one name space ({@code ip-...}) whatever their
 * kind, so an address is never held twice.
 */
public final class AllocationNames {
    public static final String GROUP = "netplane.io";
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "ipam-service.netplane.io";
    public static final String KIND_LABEL = GROUP + "/allocation-kind";
    public static final String OWNER_NAMESPACE_LABEL = GROUP + "/owner-namespace";
    public static final String OWNER_NAME_LABEL = GROUP + "/owner-name";
    public static final String FINALIZER = GROUP + "/ipam";
    public static final String EXTERNAL_OWNER = "External";

    private AllocationNames() {
    }

    /** {@code ip-10-96-0-10}, {@code ip-fd00--a}; a trailing "::" gets a 0 so the name ends alphanumeric. */
    public static String address(IpAddress ip) {
        String text = ip.toString().replace('.', '-').replace(':', '-');
        return "ip-" + (text.endsWith("-") ? text + "0" : text);
    }

    public static String nodePort(int port) {
        return "nodeport-" + port;
    }

    /** {@code podcidr-10-244-1-0-24}. */
    public static String podCidr(Cidr cidr) {
        String net = address(cidr.network()).substring(3);
        return "podcidr-" + net + "-" + cidr.prefix();
    }

    public static ObjectRef external(String requestKey) {
        return new ObjectRef(EXTERNAL_OWNER, null, requestKey, null);
    }

    /** Pool names for the built-in ranges. */
    public static String serviceRangePool(String family) {
        return "service-" + family;
    }

    public static final String NODE_PORT_POOL = "node-ports";

    public static String podCidrPool(String family) {
        return "pod-" + family;
    }
}
