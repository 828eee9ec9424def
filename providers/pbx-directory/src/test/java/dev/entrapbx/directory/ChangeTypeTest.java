package dev.entrapbx.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChangeTypeTest {

    private static Entry entry(boolean enabled, String extension, String status, String jobTitle, List<Entry.Group> groups) {
        return new Entry("u1", "ann@x.example", "ann@x.example", "Ann A", "Ann", "A", enabled, extension, status, jobTitle, "Ops",
                List.of("+1 425 555 0101"), null, null, "oid-1", "tid-1", null, groups);
    }

    private static List<String> kinds(Entry before, Entry after) {
        return ChangeType.between(before, after).stream().map(c -> c.type().id() + c.fields()).toList();
    }

    @Test
    void aNewMemberIsAddedAndAFormerOneRemoved() {
        Entry e = entry(true, "101", Entry.ASSIGNED, "Agent", List.of());
        assertThat(kinds(null, e)).containsExactly("user.added[]");
        assertThat(kinds(e, null)).containsExactly("user.removed[]");
        assertThat(kinds(null, null)).isEmpty();
    }

    @Test
    void nothingChangedGivesNoRow() {
        Entry e = entry(true, "101", Entry.ASSIGNED, "Agent", List.of());
        assertThat(kinds(e, entry(true, "101", Entry.ASSIGNED, "Agent", List.of()))).isEmpty();
    }

    @Test
    void eachKindOfChangeIsItsOwnRowNamingItsFields() {
        Entry before = entry(true, "101", Entry.ASSIGNED, "Agent", List.of());
        Entry after = entry(false, "102", Entry.ASSIGNED, "Team lead", List.of(new Entry.Group("g1", "Sales", "eg1")));
        assertThat(kinds(before, after)).containsExactly("user.updated[jobTitle]", "user.disabled[enabled]",
                "extension.changed[extension, extensionStatus]", "groups.changed[groups]");
        assertThat(kinds(after, before)).contains("user.enabled[enabled]");
    }

    @Test
    void extensionsAreAssignedAndReleased() {
        Entry none = entry(true, null, Entry.RANGE_EXHAUSTED, "Agent", List.of());
        Entry some = entry(true, "200", Entry.ASSIGNED, "Agent", List.of());
        assertThat(kinds(none, some)).containsExactly("extension.assigned[extension, extensionStatus]");
        assertThat(kinds(some, none)).containsExactly("extension.released[extension, extensionStatus]");
    }

    @Test
    void aStatusChangeWithoutANumberIsAProfileUpdate() {
        Entry exhausted = entry(true, null, Entry.RANGE_EXHAUSTED, "Agent", List.of());
        Entry off = entry(true, null, Entry.NONE, "Lead", List.of());
        assertThat(kinds(exhausted, off)).containsExactly("user.updated[extensionStatus, jobTitle]");
    }

    @Test
    void anEntrySurvivesItsJsonRoundTripUnchanged() {
        Entry e = entry(true, null, Entry.NONE, null, List.of(new Entry.Group("g1", "Sales", null)));
        assertThat(Json.read(Json.write(e), Entry.class)).isEqualTo(e);
        assertThat(Json.write(e)).contains("\"extension\":null");
    }
}
