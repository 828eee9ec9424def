package dev.entrapbx.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.entrapbx.sync.graph.GraphDirectory.DeltaGroup;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A groups delta round merged page by page. */
class GroupRoundTest {

    @Test
    void aGroupWhoseMembersSpanPagesIsMergedAndComplete() {
        GroupRound r = new GroupRound(true);
        r.accept(new DeltaGroup("g1", "Sales", "desc", null, List.of("u1", "u2"), List.of(), List.of("g2")));
        r.accept(new DeltaGroup("g1", null, null, null, List.of("u3"), List.of(), List.of()));
        GroupRound.Facts f = r.groups.get("g1");
        assertThat(f.complete).isTrue();
        assertThat(f.displayName).isEqualTo("Sales");
        assertThat(f.description).isEqualTo("desc");
        assertThat(f.users).containsExactly("u1", "u2", "u3");
        assertThat(f.groups).containsExactly("g2");
    }

    @Test
    void aChangedRoundKeepsAddedAndRemovedMembersApartAndTheLastWordCounts() {
        GroupRound r = new GroupRound(false);
        r.accept(new DeltaGroup("g1", "Sales", null, null, List.of("u1"), List.of("u2"), List.of()));
        r.accept(new DeltaGroup("g1", null, null, null, List.of("u2"), List.of("u1"), List.of()));
        GroupRound.Facts f = r.groups.get("g1");
        assertThat(f.complete).isFalse();
        assertThat(f.users).containsExactly("u2");
        assertThat(f.usersRemoved).containsExactly("u1");
    }

    @Test
    void aRemovedGroupIsNoLongerDescribed() {
        GroupRound r = new GroupRound(false);
        r.accept(new DeltaGroup("g1", "Sales", null, null, List.of("u1"), List.of(), List.of()));
        r.accept(new DeltaGroup("g1", null, null, "deleted", List.of(), List.of(), List.of()));
        assertThat(r.groups).doesNotContainKey("g1");
        assertThat(r.removed).containsEntry("g1", "deleted");
    }
}
