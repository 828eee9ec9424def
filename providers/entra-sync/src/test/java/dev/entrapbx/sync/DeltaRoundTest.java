package dev.entrapbx.sync;

import static dev.entrapbx.sync.SyncScopeTest.disabled;
import static dev.entrapbx.sync.SyncScopeTest.guest;
import static dev.entrapbx.sync.SyncScopeTest.member;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeltaRoundTest {

    private static EntraUser removed(String id, String reason) {
        return new EntraUser(id, reason, Map.of());
    }

    @Test
    void aPageIsSortedIntoUsersToImportAndUsersThatLeave() {
        DeltaRound round = new DeltaRound(false);
        DeltaRound.Accepted page = round.accept(List.of(member("a"), guest("g"), disabled("d"), removed("r", "deleted")),
                new SyncScope(null, false, false));
        assertThat(page.toImport()).extracting(EntraUser::id).containsExactly("a");
        assertThat(page.excluded()).as("removed users are not counted as skipped").isEqualTo(2);
        assertThat(round.seen).containsExactly("a");
        assertThat(round.leaving).containsExactly(Map.entry("g", "a guest (guests are excluded)"), Map.entry("d", "disabled in Entra"),
                Map.entry("r", "deleted in Entra (deleted)"));
    }

    @Test
    void aLaterPageWinsForTheSameUser() {
        DeltaRound round = new DeltaRound(true);
        SyncScope scope = new SyncScope(null, false, false);
        round.accept(List.of(member("a"), removed("b", "changed")), scope);
        round.accept(List.of(disabled("a"), member("b")), scope);
        assertThat(round.seen).containsExactly("b");
        assertThat(round.leaving).containsExactly(Map.entry("a", "disabled in Entra"));
    }

    @Test
    void aFullRoundReconcilesSyncedUsersNotSeenAndOutOfScope() {
        DeltaRound round = new DeltaRound(true);
        SyncScope scope = new SyncScope(Set.of("a", "gone"), false, false);
        round.accept(List.of(member("a"), removed("r", "deleted")), scope);
        Map<String, String> leavers = round.leavers(List.of("a", "gone", "outside", "r"), scope);
        assertThat(leavers).containsOnly(Map.entry("r", "deleted in Entra (deleted)"), Map.entry("gone", "not in Entra any more"),
                Map.entry("outside", "out of the sync's scope"));
        assertThat(round.leaving).as("the round's own record is left as it was").containsOnlyKeys("r");
    }

    @Test
    void aChangedRoundOfAScopeRemovesOnlyWhoIsOutOfIt() {
        DeltaRound round = new DeltaRound(false);
        SyncScope scope = new SyncScope(Set.of("a", "quiet"), false, false);
        round.accept(List.of(member("a")), scope);
        assertThat(round.leavers(List.of("a", "quiet", "outside"), scope)).containsOnly(Map.entry("outside", "out of the sync's scope"));
    }
}
