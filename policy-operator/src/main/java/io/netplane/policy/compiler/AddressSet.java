package io.netplane.policy.compiler;

import io.netplane.api.events.IpSetView;
import io.netplane.api.events.IpSetView.MemberView;
import io.netplane.policy.model.AddressSelector;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/** One shared address set: its selector, current members (by Pod key), and the policies that reference it. */
final class AddressSet {
    final String id;
    final AddressSelector selector;
    final TreeMap<String, MemberView> members = new TreeMap<>();
    final Set<String> referencedBy = new HashSet<>();
    String resourceVersion = "0";

    AddressSet(AddressSelector selector) {
        this.selector = selector;
        this.id = SetNames.of(selector);
    }

    /** Sets or removes the Pod's membership; true when the set changed. */
    boolean put(String podKey, MemberView member) {
        MemberView old = member == null ? members.remove(podKey) : members.put(podKey, member);
        return member == null ? old != null : !member.equals(old);
    }

    IpSetView view(Instant observedAt) {
        return new IpSetView(id, resourceVersion, observedAt, selector.canonical(), List.copyOf(members.values()));
    }
}
