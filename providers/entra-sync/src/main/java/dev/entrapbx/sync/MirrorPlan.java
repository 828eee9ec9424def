package dev.entrapbx.sync;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What the Entra groups mirror must do to the Keycloak groups under the Organization's parent group,
 * from what Entra said and what is mirrored now. Pure: no Keycloak, no Graph; {@link GroupMirror}
 * reads both sides and applies the plan.
 *
 * <p>Names: a mirrored group is named after the Entra group's display name; when two Entra groups
 * (or a group an admin made under the parent) share it, the later one gets
 * {@code "<name> (<first 8 characters of its object id>)"}. A group keeps the name it has while that
 * name is still one of these two forms, so a rename elsewhere does not rename it too.
 */
final class MirrorPlan {

    /** A mirrored Keycloak group as it is now. */
    record Mirrored(String groupId, String entraId, String name, String description) {
    }

    /**
     * What Entra said of a group that is to be mirrored. {@code displayName} and {@code description}
     * null: not said (delta: unchanged). {@code complete}: {@code users} is the group's whole direct
     * user membership (a full read); else {@code users} were added and {@code usersRemoved} removed.
     */
    record Wanted(String entraId, String displayName, String description, boolean complete, Set<String> users,
                  Set<String> usersRemoved) {
    }

    record Create(String entraId, String name, String description) {
    }

    /** {@code from} -> {@code to}; renames are listed in an order that never gives two siblings one name. */
    record Rename(String groupId, String entraId, String from, String to) {
    }

    record Describe(String groupId, String entraId, String description) {
    }

    /** Object ids of synced users that join or leave one group. */
    record Membership(String entraId, List<String> join, List<String> leave) {
        boolean isEmpty() {
            return join.isEmpty() && leave.isEmpty();
        }
    }

    final List<Mirrored> removals = new ArrayList<>();
    final List<Rename> renames = new ArrayList<>();
    final List<Describe> descriptions = new ArrayList<>();
    final List<Create> creates = new ArrayList<>();
    /** Per Entra group id (wanted groups only), in the wanted order. */
    final Map<String, Membership> memberships = new LinkedHashMap<>();
    /** Wanted groups not created, as their name is not known (a delta that did not say it), with why. */
    final List<String> skipped = new ArrayList<>();

    private MirrorPlan() {
    }

    /** {@code "<name> (<first 8 characters of the id>)"}: the name of the later of two Entra groups with one display name. */
    static String suffixed(String name, String entraId) {
        return name + " (" + entraId.substring(0, Math.min(8, entraId.length())) + ")";
    }

    /**
     * @param current        the mirrored groups now, by Entra id
     * @param otherNames     names of the parent's other subgroups (not mirrored: never touched, names taken)
     * @param wanted         the groups to mirror that Entra said something about; groups of {@code current}
     *                       that are neither wanted nor removed stay as they are
     * @param remove         Entra ids whose mirrored group goes (deleted in Entra, or no longer mirrored)
     * @param currentMembers for the complete wanted groups that exist: the object ids of their synced members now
     * @param synced         whether an object id is a user this component synced (only those join or leave)
     */
    static MirrorPlan plan(Map<String, Mirrored> current, Collection<String> otherNames, List<Wanted> wanted,
                           Set<String> remove, Map<String, Set<String>> currentMembers, Predicate<String> synced) {
        MirrorPlan plan = new MirrorPlan();
        Set<String> removing = new HashSet<>();
        for (String id : remove) {
            Mirrored m = current.get(id);
            if (m != null) {
                plan.removals.add(m);
                removing.add(id);
            }
        }
        Map<String, Wanted> byId = new LinkedHashMap<>();
        for (Wanted w : wanted) {
            if (!removing.contains(w.entraId()) && !remove.contains(w.entraId())) {
                byId.put(w.entraId(), w);
            }
        }

        // names: taken by the admin's groups and by the mirrored groups that keep theirs
        Set<String> taken = new HashSet<>(otherNames);
        Map<String, String> finalName = new HashMap<>();
        List<Wanted> needName = new ArrayList<>();
        for (Mirrored m : current.values()) {
            if (removing.contains(m.entraId())) {
                continue;
            }
            Wanted w = byId.get(m.entraId());
            String display = w == null ? null : w.displayName();
            if (display == null || m.name().equals(display) || m.name().equals(suffixed(display, m.entraId()))) {
                finalName.put(m.entraId(), m.name());
                taken.add(m.name());
            }
        }
        for (Wanted w : byId.values()) {
            if (!finalName.containsKey(w.entraId())) {
                needName.add(w);
            }
        }
        // renamed groups first (in the order given), then new groups by object id
        needName.sort(Comparator.comparing((Wanted w) -> current.containsKey(w.entraId()) ? 0 : 1)
                .thenComparing(w -> current.containsKey(w.entraId()) ? "" : w.entraId()));
        for (Wanted w : needName) {
            if (w.displayName() == null || w.displayName().isBlank()) {
                plan.skipped.add(w.entraId() + ": Graph did not give its display name");
                continue;
            }
            String name = w.displayName();
            if (taken.contains(name)) {
                name = suffixed(w.displayName(), w.entraId());
            }
            if (taken.contains(name)) {
                name = w.displayName() + " (" + w.entraId() + ")";
            }
            taken.add(name);
            finalName.put(w.entraId(), name);
        }

        List<Rename> renames = new ArrayList<>();
        for (Wanted w : byId.values()) {
            String name = finalName.get(w.entraId());
            if (name == null) {
                continue;
            }
            Mirrored m = current.get(w.entraId());
            if (m == null) {
                plan.creates.add(new Create(w.entraId(), name, w.description()));
                continue;
            }
            if (!m.name().equals(name)) {
                renames.add(new Rename(m.groupId(), m.entraId(), m.name(), name));
            }
            boolean descriptionSaid = w.complete() || w.description() != null;
            if (descriptionSaid && !same(m.description(), w.description())) {
                plan.descriptions.add(new Describe(m.groupId(), m.entraId(), blankToNull(w.description())));
            }
        }
        plan.renames.addAll(ordered(renames, current, removing));

        for (Wanted w : byId.values()) {
            if (!finalName.containsKey(w.entraId())) {
                continue;
            }
            List<String> join = new ArrayList<>();
            List<String> leave = new ArrayList<>();
            if (w.complete()) {
                Set<String> now = current.containsKey(w.entraId()) ? currentMembers.getOrDefault(w.entraId(), Set.of()) : Set.of();
                for (String oid : w.users()) {
                    if (synced.test(oid) && !now.contains(oid)) {
                        join.add(oid);
                    }
                }
                for (String oid : now) {
                    if (!w.users().contains(oid)) {
                        leave.add(oid);
                    }
                }
            } else {
                for (String oid : w.users()) {
                    if (synced.test(oid)) {
                        join.add(oid);
                    }
                }
                for (String oid : w.usersRemoved()) {
                    if (synced.test(oid) && !w.users().contains(oid)) {
                        leave.add(oid);
                    }
                }
            }
            Membership m = new Membership(w.entraId(), join, leave);
            if (!m.isEmpty()) {
                plan.memberships.put(w.entraId(), m);
            }
        }
        return plan;
    }

    /**
     * The renames in an order in which no step gives a name another sibling still has: a rename whose
     * target is free goes first; a cycle (two groups swapped their names in Entra) is broken by moving
     * one group to a temporary name ({@code "<target> (<object id>)"}) first.
     */
    static List<Rename> ordered(List<Rename> renames, Map<String, Mirrored> current, Set<String> removing) {
        Map<String, String> holder = new HashMap<>(); // name -> group id, as the steps so far leave them
        for (Mirrored m : current.values()) {
            if (!removing.contains(m.entraId())) {
                holder.put(m.name(), m.groupId());
            }
        }
        List<Rename> pending = new ArrayList<>(renames);
        List<Rename> out = new ArrayList<>();
        while (!pending.isEmpty()) {
            boolean progress = false;
            for (var it = pending.iterator(); it.hasNext(); ) {
                Rename r = it.next();
                String owner = holder.get(r.to());
                if (owner == null || owner.equals(r.groupId())) {
                    out.add(r);
                    holder.remove(r.from());
                    holder.put(r.to(), r.groupId());
                    it.remove();
                    progress = true;
                }
            }
            if (!progress) {
                Rename first = pending.remove(0);
                String temporary = first.to() + " (" + first.entraId() + ")";
                out.add(new Rename(first.groupId(), first.entraId(), first.from(), temporary));
                holder.remove(first.from());
                holder.put(temporary, first.groupId());
                pending.add(new Rename(first.groupId(), first.entraId(), temporary, first.to()));
            }
        }
        return out;
    }

    private static boolean same(String a, String b) {
        return blankToNull(a) == null ? blankToNull(b) == null : a.equals(b);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** A Wanted from sets built while reading (copied, so the plan is not changed by later reads). */
    static Wanted wanted(String entraId, String displayName, String description, boolean complete, Set<String> users,
                         Set<String> usersRemoved) {
        return new Wanted(entraId, displayName, description, complete, new LinkedHashSet<>(users), new LinkedHashSet<>(usersRemoved));
    }
}
