package dev.entrapbx.directory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The kinds of change the feed records, and how two states of one member turn into them. A change
 * of several kinds at once (a user renamed and given another extension in one sync) gives one row
 * per kind, in the order of this enum.
 */
public enum ChangeType {
    /** A new member of the phone system (created, or joined the Organization). */
    USER_ADDED("user.added"),
    /** Profile fields changed; the row names them. */
    USER_UPDATED("user.updated"),
    USER_DISABLED("user.disabled"),
    USER_ENABLED("user.enabled"),
    EXTENSION_ASSIGNED("extension.assigned"),
    EXTENSION_CHANGED("extension.changed"),
    EXTENSION_RELEASED("extension.released"),
    GROUPS_CHANGED("groups.changed"),
    /** No longer a member: the user was deleted, or left the Organization (the row says which). */
    USER_REMOVED("user.removed");

    /** Fields with a change type of their own: they never make a {@link #USER_UPDATED}. */
    private static final Set<String> OWN_TYPE = Set.of("enabled", "extension", "extensionStatus", "groups");

    private final String id;

    ChangeType(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** One kind of change with the fields it covers (empty for added and removed). */
    public record Change(ChangeType type, List<String> fields) {
        public Change {
            fields = List.copyOf(fields);
        }
    }

    /** What turned {@code before} into {@code after}; null means "not a member" on that side. */
    public static List<Change> between(Entry before, Entry after) {
        if (before == null) {
            return after == null ? List.of() : List.of(new Change(USER_ADDED, List.of()));
        }
        if (after == null) {
            return List.of(new Change(USER_REMOVED, List.of()));
        }
        List<String> changed = Entry.changedFields(before, after);
        if (changed.isEmpty()) {
            return List.of();
        }
        List<Change> out = new ArrayList<>();
        boolean numberChanged = changed.contains("extension");
        // the status alone (no number before or after, for another reason) is a profile change
        List<String> profile = changed.stream()
                .filter(f -> !OWN_TYPE.contains(f) || (f.equals("extensionStatus") && !numberChanged)).toList();
        if (!profile.isEmpty()) {
            out.add(new Change(USER_UPDATED, profile));
        }
        if (changed.contains("enabled")) {
            out.add(new Change(after.enabled() ? USER_ENABLED : USER_DISABLED, List.of("enabled")));
        }
        if (numberChanged) {
            ChangeType t = before.extension() == null ? EXTENSION_ASSIGNED : after.extension() == null ? EXTENSION_RELEASED : EXTENSION_CHANGED;
            out.add(new Change(t, List.of("extension", "extensionStatus")));
        }
        if (changed.contains("groups")) {
            out.add(new Change(GROUPS_CHANGED, List.of("groups")));
        }
        return out;
    }
}
