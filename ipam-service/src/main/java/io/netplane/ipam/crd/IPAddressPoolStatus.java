package io.netplane.ipam.crd;

import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** Conditions ({@code Valid}, {@code Exhausted}) and utilisation of a pool. */
public class IPAddressPoolStatus {
    public List<Condition> conditions;
    public Long size;
    public Long used;
}
