package dev.entrapbx.simulator.model;

/** A member of a group: a user or a nested group. */
public record MemberRef(String id, Kind kind) {
    /** Kinds of directory objects that can be members. */
    public enum Kind {
        USER("#microsoft.graph.user"),
        GROUP("#microsoft.graph.group");

        private final String odataType;

        Kind(String odataType) {
            this.odataType = odataType;
        }

        public String odataType() {
            return odataType;
        }
    }

    public static MemberRef user(String id) {
        return new MemberRef(id, Kind.USER);
    }

    public static MemberRef group(String id) {
        return new MemberRef(id, Kind.GROUP);
    }
}
