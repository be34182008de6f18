package io.netplane.endpoints.slicing;

import io.netplane.api.net.IpAddress;
import io.netplane.api.net.IpFamily;
import java.util.LinkedHashSet;
import java.util.Set;

/** Which EndpointSlice address types a Service gets (upstream {@code getAddressTypesForService}). */
public final class AddressTypes {
    public static final String IPV4 = "IPv4";
    public static final String IPV6 = "IPv6";

    private AddressTypes() {
    }

    /**
     * The families in {@code spec.ipFamilies}; without them (an object written before dual-stack) the family of the
     * ClusterIP; for a headless Service without families, both, so no traffic is cut until the API server defaults
     * the field.
     */
    public static Set<String> forService(SliceService service) {
        Set<String> out = new LinkedHashSet<>();
        for (String family : service.ipFamilies()) {
            if (IPV4.equals(family) || IPV6.equals(family)) {
                out.add(family);
            }
        }
        if (!out.isEmpty()) {
            return out;
        }
        if (!service.headless()) {
            out.add(service.clusterIP().indexOf(':') >= 0 ? IPV6 : IPV4);
            return out;
        }
        out.add(IPV4);
        out.add(IPV6);
        return out;
    }

    /** True when a canonical address literal belongs to the address type. */
    static boolean matches(String address, String addressType) {
        try {
            IpFamily family = IpAddress.parse(address).family();
            return family.name().equals(addressType);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
