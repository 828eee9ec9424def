package dev.entrapbx.sync;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one delta round found: the users seen (in scope, to import), those that left (with why),
 * and the round's final delta link. Pure bookkeeping; {@link DeltaReader} fills it page by page.
 */
final class DeltaRound {

    final boolean full;
    final Set<String> seen = new HashSet<>();
    final Map<String, String> leaving = new LinkedHashMap<>();
    String deltaLink;

    DeltaRound(boolean full) {
        this.full = full;
    }

    /** A page's users to import, and how many were left out (guests, disabled, out of scope). */
    record Accepted(List<EntraUser> toImport, int excluded) {
    }

    /** Sorts a page: removed and excluded users are recorded as leaving, the others as seen and to import. */
    Accepted accept(List<EntraUser> users, SyncScope scope) {
        List<EntraUser> toImport = new ArrayList<>();
        int excluded = 0;
        for (EntraUser u : users) {
            if (u.removed()) {
                leaving.put(u.id(), "deleted in Entra (" + u.removedReason() + ")");
                seen.remove(u.id());
                continue;
            }
            var reason = scope.exclusion(u);
            if (reason.isPresent()) {
                leaving.put(u.id(), reason.get());
                seen.remove(u.id());
                excluded++;
                continue;
            }
            leaving.remove(u.id());
            seen.add(u.id());
            toImport.add(u);
        }
        return new Accepted(toImport, excluded);
    }

    /**
     * Who leaves, when the run looked at the whole component ({@code synced}: the object ids it
     * synced before): those the round reported leaving, plus, after a full round, those not seen
     * at all, plus those out of the scope.
     */
    Map<String, String> leavers(Collection<String> synced, SyncScope scope) {
        Map<String, String> out = new LinkedHashMap<>(leaving);
        for (String oid : synced) {
            boolean inScope = scope.contains(oid);
            if ((full && !seen.contains(oid)) || !inScope) {
                out.putIfAbsent(oid, full && !seen.contains(oid) && inScope ? "not in Entra any more" : "out of the sync's scope");
            }
        }
        return out;
    }
}
