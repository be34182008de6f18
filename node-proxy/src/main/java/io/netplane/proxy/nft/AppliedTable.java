package io.netplane.proxy.nft;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What the proxy believes one table holds: every Service's fragment and which Service owns each map element.
 * {@link #stage} prepares the script for a batch of changed Services; {@link #commit} records it once
 * {@code nft} accepted it, so a failed apply leaves this state (and the kernel's) as before.
 *
 * <p>Two Services may claim the same map slot (an externalIP and port given to both): the first owner keeps
 * it, the other's element is left out and reported, so that one bad Service never breaks the transaction.
 * Elements of {@linkplain ChainNames#shared shared} sets (hairpin) may be held by several Services: such an
 * element stays in the kernel while any of them still holds it.
 */
public final class AppliedTable {
    private final Map<String, ServiceFragment> fragments = new HashMap<>();
    private final Map<Slot, String> owners = new HashMap<>();
    private final Map<String, Set<String>> sharedHolders = new HashMap<>();

    /** A prepared change: the script, the fragments to record after success, and the slot conflicts found. */
    public record Staged(String script, Map<String, ServiceFragment> next, List<String> conflicts, boolean full) {
    }

    /**
     * @param changes new fragments by Service key; a null value means the Service is gone
     */
    public Staged stage(TableSpec spec, Map<String, ServiceFragment> changes) {
        Map<Slot, String> claims = new HashMap<>(owners);
        changes.keySet().forEach(k -> claims.values().removeIf(k::equals));
        List<String> conflicts = new ArrayList<>();
        Map<String, ServiceFragment> next = new LinkedHashMap<>();
        changes.forEach((key, f) -> next.put(key, f == null ? null : claim(key, f, claims, conflicts)));
        List<ServiceFragment> before = new ArrayList<>();
        changes.keySet().forEach(k -> {
            if (fragments.containsKey(k)) {
                before.add(fragments.get(k));
            }
        });
        List<ServiceFragment> after = next.values().stream().filter(f -> f != null).toList();
        Predicate<String> heldElsewhere = slot -> sharedHolders.getOrDefault(slot, Set.of()).stream()
                .anyMatch(holder -> !changes.containsKey(holder));
        return new Staged(TableScript.update(spec, before, after, heldElsewhere), next, conflicts, false);
    }

    /** A script that rebuilds the whole table from {@code all}, replacing whatever it holds. */
    public Staged stageFull(TableSpec spec, Map<String, ServiceFragment> all) {
        Map<Slot, String> claims = new HashMap<>();
        List<String> conflicts = new ArrayList<>();
        Map<String, ServiceFragment> next = new LinkedHashMap<>();
        all.forEach((key, f) -> next.put(key, claim(key, f, claims, conflicts)));
        return new Staged(TableScript.full(spec, next.values()), next, conflicts, true);
    }

    /**
     * An element's {@link NftElement#slot slot} as the pair it is made of: it shares the element's strings, where
     * the slot's text would be a string of its own for every element of the table.
     */
    private record Slot(String container, String key) {
        Slot(NftElement e) {
            this(e.container(), e.key());
        }
    }

    public void commit(Staged staged) {
        if (staged.full()) {
            fragments.clear();
            owners.clear();
            sharedHolders.clear();
        }
        staged.next().forEach((key, f) -> {
            owners.values().removeIf(key::equals);
            ServiceFragment old = f == null ? fragments.remove(key) : fragments.put(key, f);
            if (old != null) {
                old.elements().stream().filter(e -> ChainNames.shared(e.container())).forEach(e -> {
                    Set<String> holders = sharedHolders.get(e.slot());
                    if (holders != null && holders.remove(key) && holders.isEmpty()) {
                        sharedHolders.remove(e.slot());
                    }
                });
            }
            if (f != null) {
                f.elements().forEach(e -> {
                    if (ChainNames.shared(e.container())) {
                        sharedHolders.computeIfAbsent(e.slot(), x -> new HashSet<>()).add(key);
                    } else {
                        owners.put(new Slot(e), key);
                    }
                });
            }
        });
    }

    public ServiceFragment fragment(String serviceKey) {
        return fragments.get(serviceKey);
    }

    public Collection<ServiceFragment> fragments() {
        return fragments.values();
    }

    public int ruleCount() {
        return fragments.values().stream().mapToInt(ServiceFragment::ruleCount).sum();
    }

    private static ServiceFragment claim(String key, ServiceFragment f, Map<Slot, String> claims, List<String> conflicts) {
        List<NftElement> kept = new ArrayList<>();
        for (NftElement e : f.elements()) {
            if (ChainNames.shared(e.container())) {
                kept.add(e);
                continue;
            }
            String owner = claims.putIfAbsent(new Slot(e), key);
            if (owner == null || owner.equals(key)) {
                kept.add(e);
            } else {
                conflicts.add(key + ": " + e.container() + " " + e.key() + " is already used by " + owner);
            }
        }
        return kept.size() == f.elements().size() ? f : f.withElements(kept);
    }
}
