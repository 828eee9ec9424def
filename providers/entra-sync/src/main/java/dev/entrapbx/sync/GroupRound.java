package dev.entrapbx.sync;

import dev.entrapbx.sync.graph.GraphDirectory;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What one groups delta round said, page after page: per group its name, description and members
 * (a group's {@code members@delta} may span pages, so it is merged), and the groups removed. In a
 * full round (no delta link) the members are each group's whole direct membership; in a changed
 * round they are the members added and removed since the link. Pure bookkeeping; {@link GroupMirror}
 * fills it.
 */
final class GroupRound {

    /** What is known of one group. Null name or description: not said. */
    static final class Facts {
        final String id;
        String displayName;
        String description;
        /** {@code users} is the group's whole direct user membership. */
        boolean complete;
        final Set<String> users = new LinkedHashSet<>();
        final Set<String> usersRemoved = new LinkedHashSet<>();
        /** Groups said to be members (direct) of this one. */
        final Set<String> groups = new LinkedHashSet<>();

        Facts(String id, boolean complete) {
            this.id = id;
            this.complete = complete;
        }

        void userAdded(String oid) {
            users.add(oid);
            usersRemoved.remove(oid);
        }

        void userRemoved(String oid) {
            users.remove(oid);
            usersRemoved.add(oid);
        }

        MirrorPlan.Wanted wanted() {
            return MirrorPlan.wanted(id, displayName, description, complete, users, usersRemoved);
        }
    }

    final boolean full;
    final Map<String, Facts> groups = new LinkedHashMap<>();
    /** Groups deleted in Entra, with Graph's reason. */
    final Map<String, String> removed = new LinkedHashMap<>();
    String deltaLink;

    GroupRound(boolean full) {
        this.full = full;
    }

    /** One group of a page, merged with what earlier pages said of it. */
    void accept(GraphDirectory.DeltaGroup g) {
        if (g.removed() != null) {
            groups.remove(g.id());
            removed.put(g.id(), g.removed());
            return;
        }
        removed.remove(g.id());
        Facts f = facts(g.id());
        if (g.displayName() != null) {
            f.displayName = g.displayName();
        }
        if (g.description() != null) {
            f.description = g.description();
        }
        g.usersAdded().forEach(f::userAdded);
        g.usersRemoved().forEach(f::userRemoved);
        f.groups.addAll(g.groupsAdded());
    }

    /** The facts of a group, made (complete in a full round) when it was not said yet. */
    Facts facts(String id) {
        return groups.computeIfAbsent(id, k -> new Facts(k, full));
    }
}
