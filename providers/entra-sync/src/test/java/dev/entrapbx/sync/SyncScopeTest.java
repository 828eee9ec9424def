package dev.entrapbx.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyncScopeTest {

    static EntraUser member(String id) {
        return user(id, Map.of());
    }

    static EntraUser user(String id, Map<String, String> props) {
        Map<String, List<String>> p = new HashMap<>();
        props.forEach((k, v) -> p.put(k, List.of(v)));
        return new EntraUser(id, null, p);
    }

    static EntraUser guest(String id) {
        return user(id, Map.of("userType", "Guest"));
    }

    static EntraUser disabled(String id) {
        return user(id, Map.of("accountEnabled", "false"));
    }

    @Test
    void guestsAndDisabledAccountsAreLeftOutUnlessIncluded() {
        SyncScope byDefault = new SyncScope(null, false, false);
        assertThat(byDefault.exclusion(member("a"))).isEmpty();
        assertThat(byDefault.exclusion(user("a", Map.of("userType", "Member", "accountEnabled", "true")))).isEmpty();
        assertThat(byDefault.exclusion(guest("g"))).contains("a guest (guests are excluded)");
        assertThat(byDefault.exclusion(user("g", Map.of("userType", "guest")))).as("case-insensitive").isPresent();
        assertThat(byDefault.exclusion(disabled("d"))).contains("disabled in Entra");

        SyncScope inclusive = new SyncScope(null, true, true);
        assertThat(inclusive.exclusion(guest("g"))).isEmpty();
        assertThat(inclusive.exclusion(disabled("d"))).isEmpty();
    }

    @Test
    void theGuestRuleComesBeforeTheDisabledRuleAndBothBeforeScope() {
        EntraUser disabledGuest = user("x", Map.of("userType", "Guest", "accountEnabled", "false"));
        SyncScope groups = new SyncScope(Set.of("a"), false, false);
        assertThat(groups.exclusion(disabledGuest)).contains("a guest (guests are excluded)");
        assertThat(new SyncScope(Set.of("a"), true, false).exclusion(disabledGuest)).contains("disabled in Entra");
        assertThat(new SyncScope(Set.of("a"), true, true).exclusion(disabledGuest)).contains("out of the sync's scope");
    }

    @Test
    void groupOrFilterScopeLeavesOutWhoIsNotListed() {
        SyncScope groups = new SyncScope(Set.of("a", "b"), false, false);
        assertThat(groups.limited()).isTrue();
        assertThat(groups.exclusion(member("a"))).isEmpty();
        assertThat(groups.exclusion(member("c"))).contains("out of the sync's scope");
        assertThat(groups.contains("b")).isTrue();
        assertThat(groups.contains("c")).isFalse();

        SyncScope all = new SyncScope(null, false, false);
        assertThat(all.limited()).isFalse();
        assertThat(all.contains("anyone")).isTrue();
    }

    @Test
    void whoEnteredTheScopeIsNeitherSeenInTheRoundNorSyncedBefore() {
        SyncScope groups = new SyncScope(Set.of("seen", "synced", "entered"), false, false);
        assertThat(groups.entered(Set.of("seen"), Set.of("synced", "elsewhere"))).containsExactly("entered");
        assertThat(new SyncScope(null, false, false).entered(Set.of(), Set.of())).as("scope all: the delta has them").isEmpty();
    }
}
