package dev.entrapbx.sync;

import dev.entrapbx.sync.graph.GraphDirectory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who the sync is about: for group or filter scope the in-scope object ids, read at the start of
 * each run (ids only); for scope {@code all} every member. Decides which Entra users are left out
 * (guests, accounts disabled in Entra, out of scope) and who entered the scope without changing.
 */
final class SyncScope {

    private static final List<String> ID_ONLY = List.of("id");

    /** The in-scope object ids; null for "all members". */
    private final Set<String> ids;
    private final boolean includeGuests;
    private final boolean includeDisabledAccounts;

    SyncScope(Set<String> ids, boolean includeGuests, boolean includeDisabledAccounts) {
        this.ids = ids;
        this.includeGuests = includeGuests;
        this.includeDisabledAccounts = includeDisabledAccounts;
    }

    /** The scope of this run: group members (transitive) or the filter's users, or everyone. */
    static SyncScope load(GraphDirectory graph, EntraSyncConfig config) {
        return new SyncScope(ids(graph, config), config.includeGuests(), config.includeDisabledAccounts());
    }

    private static Set<String> ids(GraphDirectory graph, EntraSyncConfig config) {
        switch (config.scope()) {
            case GROUPS -> {
                Set<String> ids = new HashSet<>();
                for (String group : config.groupIds()) {
                    String link = null;
                    do {
                        GraphDirectory.ListPage p = graph.groupUsers(link, group, ID_ONLY);
                        p.users().forEach(u -> ids.add(u.id()));
                        link = p.nextLink();
                    } while (link != null);
                }
                return ids;
            }
            case FILTER -> {
                Set<String> ids = new HashSet<>();
                String link = null;
                do {
                    GraphDirectory.ListPage p = graph.usersFiltered(link, config.filter().orElseThrow(), ID_ONLY);
                    p.users().forEach(u -> ids.add(u.id()));
                    link = p.nextLink();
                } while (link != null);
                return ids;
            }
            default -> {
                return null;
            }
        }
    }

    /** True for group or filter scope: only the listed users are in it. */
    boolean limited() {
        return ids != null;
    }

    boolean contains(String oid) {
        return ids == null || ids.contains(oid);
    }

    /** Why this (not removed) Entra user is left out, if it is. */
    Optional<String> exclusion(EntraUser u) {
        if (u.guest() && !includeGuests) {
            return Optional.of("a guest (guests are excluded)");
        }
        if (!u.accountEnabled() && !includeDisabledAccounts) {
            return Optional.of("disabled in Entra");
        }
        if (ids != null && !ids.contains(u.id())) {
            return Optional.of("out of the sync's scope");
        }
        return Optional.empty();
    }

    /**
     * The in-scope users that entered the scope without any change of their own: neither seen in
     * the round nor synced before. Empty for scope {@code all}.
     */
    List<String> entered(Set<String> seen, Collection<String> synced) {
        List<String> missing = new ArrayList<>();
        if (ids == null) {
            return missing;
        }
        for (String id : ids) {
            if (!seen.contains(id) && !synced.contains(id)) {
                missing.add(id);
            }
        }
        return missing;
    }
}
