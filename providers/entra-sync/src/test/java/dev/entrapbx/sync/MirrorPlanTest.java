package dev.entrapbx.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The mirror's diff of what Entra says against what is mirrored: names, renames, removals, memberships. */
class MirrorPlanTest {

    static final String SALES = "aaaaaaaa-1111-4000-8000-000000000001";
    static final String SALES_TWIN = "bbbbbbbb-2222-4000-8000-000000000002";
    static final String SUPPORT = "cccccccc-3333-4000-8000-000000000003";

    static MirrorPlan.Mirrored mirrored(String entraId, String name) {
        return new MirrorPlan.Mirrored("kc-" + entraId.substring(0, 4), entraId, name, null);
    }

    static Map<String, MirrorPlan.Mirrored> current(MirrorPlan.Mirrored... groups) {
        Map<String, MirrorPlan.Mirrored> out = new LinkedHashMap<>();
        for (MirrorPlan.Mirrored m : groups) {
            out.put(m.entraId(), m);
        }
        return out;
    }

    static MirrorPlan.Wanted full(String id, String name, String... users) {
        return MirrorPlan.wanted(id, name, null, true, Set.of(users), Set.of());
    }

    static MirrorPlan.Wanted changed(String id, String name, Set<String> added, Set<String> removed) {
        return MirrorPlan.wanted(id, name, null, false, added, removed);
    }

    static final Set<String> SYNCED = Set.of("u1", "u2", "u3", "u4");

    static MirrorPlan plan(Map<String, MirrorPlan.Mirrored> current, List<String> otherNames, List<MirrorPlan.Wanted> wanted,
                           Set<String> remove, Map<String, Set<String>> members) {
        return MirrorPlan.plan(current, otherNames, wanted, remove, members, SYNCED::contains);
    }

    @Test
    void aFirstReadCreatesEveryGroupWithItsSyncedMembersOnly() {
        MirrorPlan p = plan(Map.of(), List.of(), List.of(full(SALES, "Sales", "u1", "u2", "stranger"), full(SUPPORT, "Support")),
                Set.of(), Map.of());
        assertThat(p.creates).extracting(MirrorPlan.Create::name).containsExactly("Sales", "Support");
        assertThat(p.memberships.get(SALES).join()).containsExactlyInAnyOrder("u1", "u2");
        assertThat(p.memberships).doesNotContainKey(SUPPORT);
        assertThat(p.removals).isEmpty();
        assertThat(p.renames).isEmpty();
    }

    @Test
    void twoGroupsWithOneNameTheLaterGetsTheFirstEightCharactersOfItsId() {
        MirrorPlan p = plan(Map.of(), List.of(), List.of(full(SALES_TWIN, "Sales"), full(SALES, "Sales")), Set.of(), Map.of());
        assertThat(p.creates).extracting(MirrorPlan.Create::name).containsExactlyInAnyOrder("Sales", "Sales (bbbbbbbb)");
        assertThat(p.creates).filteredOn(c -> c.entraId().equals(SALES)).extracting(MirrorPlan.Create::name).containsExactly("Sales");

        // the one mirrored first keeps the plain name, a new twin gets the suffix
        MirrorPlan later = plan(current(mirrored(SALES_TWIN, "Sales")), List.of(), List.of(full(SALES, "Sales")), Set.of(), Map.of());
        assertThat(later.creates).extracting(MirrorPlan.Create::name).containsExactly("Sales (aaaaaaaa)");
        assertThat(later.renames).isEmpty();
    }

    @Test
    void aSubgroupAnAdminMadeUnderTheParentKeepsItsNameAndIsNeverRemoved() {
        MirrorPlan p = plan(current(mirrored(SUPPORT, "Support")), List.of("Sales"), List.of(full(SALES, "Sales"),
                full(SUPPORT, "Support")), Set.of(), Map.of());
        assertThat(p.creates).extracting(MirrorPlan.Create::name).containsExactly("Sales (aaaaaaaa)");
        assertThat(p.removals).isEmpty();
    }

    @Test
    void aRenameFollowsAndASuffixedTwinKeepsItsSuffix() {
        MirrorPlan p = plan(current(mirrored(SALES, "Sales"), mirrored(SALES_TWIN, "Sales (bbbbbbbb)")), List.of(),
                List.of(changed(SALES, "Sales EMEA", Set.of(), Set.of())), Set.of(), Map.of());
        assertThat(p.renames).containsExactly(new MirrorPlan.Rename("kc-aaaa", SALES, "Sales", "Sales EMEA"));
        assertThat(p.creates).isEmpty();
    }

    @Test
    void aDeltaWithoutTheNameKeepsTheGroupsName() {
        MirrorPlan p = plan(current(mirrored(SALES, "Sales (aaaaaaaa)")), List.of(), List.of(changed(SALES, null, Set.of("u1"),
                Set.of())), Set.of(), Map.of());
        assertThat(p.renames).isEmpty();
        assertThat(p.memberships.get(SALES).join()).containsExactly("u1");
    }

    @Test
    void swappedNamesAreRenamedThroughATemporaryNameSoSiblingsNeverShareOne() {
        Map<String, MirrorPlan.Mirrored> now = current(mirrored(SALES, "Sales"), mirrored(SUPPORT, "Support"));
        MirrorPlan p = plan(now, List.of(), List.of(changed(SALES, "Support", Set.of(), Set.of()),
                changed(SUPPORT, "Sales", Set.of(), Set.of())), Set.of(), Map.of());
        // replay the steps: no step may give a name a sibling holds at that moment
        Map<String, String> names = new LinkedHashMap<>(Map.of("kc-aaaa", "Sales", "kc-cccc", "Support"));
        for (MirrorPlan.Rename r : p.renames) {
            assertThat(names.values()).as("step %s", r).doesNotContain(r.to());
            assertThat(names.get(r.groupId())).isEqualTo(r.from());
            names.put(r.groupId(), r.to());
        }
        assertThat(names).containsEntry("kc-aaaa", "Support").containsEntry("kc-cccc", "Sales");
        assertThat(p.renames).hasSize(3);
    }

    @Test
    void aRenameOntoTheNameOfARemovedGroupNeedsNoSuffix() {
        MirrorPlan p = plan(current(mirrored(SALES, "Sales"), mirrored(SUPPORT, "Support")), List.of(),
                List.of(changed(SUPPORT, "Sales", Set.of(), Set.of())), Set.of(SALES), Map.of());
        assertThat(p.removals).extracting(MirrorPlan.Mirrored::entraId).containsExactly(SALES);
        assertThat(p.renames).containsExactly(new MirrorPlan.Rename("kc-cccc", SUPPORT, "Support", "Sales"));
    }

    @Test
    void aFullReadReconcilesMembershipBothWays() {
        MirrorPlan p = plan(current(mirrored(SALES, "Sales")), List.of(), List.of(full(SALES, "Sales", "u1", "u3")), Set.of(),
                Map.of(SALES, Set.of("u1", "u2")));
        assertThat(p.memberships.get(SALES).join()).containsExactly("u3");
        assertThat(p.memberships.get(SALES).leave()).containsExactly("u2");
    }

    @Test
    void aChangedReadAppliesOnlyTheChangesOfSyncedUsers() {
        MirrorPlan p = plan(current(mirrored(SALES, "Sales")), List.of(), List.of(changed(SALES, "Sales", Set.of("u4", "stranger"),
                Set.of("u2", "gone"))), Set.of(), Map.of());
        assertThat(p.memberships.get(SALES).join()).containsExactly("u4");
        assertThat(p.memberships.get(SALES).leave()).containsExactly("u2");
        assertThat(p.renames).isEmpty();
    }

    @Test
    void groupsNotMentionedStayAndRemovedOnesGoWithoutMembershipSteps() {
        MirrorPlan p = plan(current(mirrored(SALES, "Sales"), mirrored(SUPPORT, "Support")), List.of(), List.of(), Set.of(SUPPORT),
                Map.of());
        assertThat(p.removals).extracting(MirrorPlan.Mirrored::name).containsExactly("Support");
        assertThat(p.renames).isEmpty();
        assertThat(p.creates).isEmpty();
        assertThat(p.memberships).isEmpty();
    }

    @Test
    void aNewGroupWithoutANameIsReportedNotCreated() {
        MirrorPlan p = plan(Map.of(), List.of(), List.of(changed(SALES, null, Set.of("u1"), Set.of())), Set.of(), Map.of());
        assertThat(p.creates).isEmpty();
        assertThat(p.memberships).isEmpty();
        assertThat(p.skipped).singleElement().asString().startsWith(SALES);
    }

    @Test
    void descriptionsFollowAndAFullReadClearsOne() {
        Map<String, MirrorPlan.Mirrored> now = current(new MirrorPlan.Mirrored("kc-aaaa", SALES, "Sales", "old"));
        MirrorPlan changedText = plan(now, List.of(), List.of(MirrorPlan.wanted(SALES, "Sales", "new", false, Set.of(), Set.of())),
                Set.of(), Map.of());
        assertThat(changedText.descriptions).containsExactly(new MirrorPlan.Describe("kc-aaaa", SALES, "new"));
        MirrorPlan notSaid = plan(now, List.of(), List.of(changed(SALES, "Sales", Set.of(), Set.of())), Set.of(), Map.of());
        assertThat(notSaid.descriptions).isEmpty();
        MirrorPlan cleared = plan(now, List.of(), List.of(full(SALES, "Sales")), Set.of(), Map.of());
        assertThat(cleared.descriptions).containsExactly(new MirrorPlan.Describe("kc-aaaa", SALES, null));
    }
}
