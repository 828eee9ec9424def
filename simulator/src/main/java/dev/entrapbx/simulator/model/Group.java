package dev.entrapbx.simulator.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** A group of a tenant (membership is kept by the directory). Immutable. */
public final class Group extends DirectoryObject {
    private Group(Builder b) {
        super(Schema.GROUP, b.values);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.values.putAll(values());
        return b;
    }

    public String displayName() { return string("displayName"); }
    public String mailNickname() { return string("mailNickname"); }
    public String description() { return string("description"); }
    public boolean securityEnabled() { return Boolean.TRUE.equals(values().get("securityEnabled")); }

    @Override
    public String toString() {
        return displayName() + " (" + id() + ")";
    }

    /** Builder; mailNickname defaults from the display name. */
    public static final class Builder extends AbstractBuilder<Builder> {
        private Builder() {
            super(Schema.GROUP);
        }

        public Builder id(String id) { return set("id", id); }
        public Builder displayName(String v) { return set("displayName", v); }
        public Builder description(String v) { return set("description", v); }
        public Builder mailNickname(String v) { return set("mailNickname", v); }
        public Builder mail(String v) { return set("mail", v); }
        public Builder securityEnabled(boolean v) { return set("securityEnabled", v); }
        public Builder mailEnabled(boolean v) { return set("mailEnabled", v); }
        public Builder groupTypes(String... v) { return set("groupTypes", Arrays.asList(v)); }

        public Group build() {
            if (values.get("displayName") == null) {
                throw new IllegalArgumentException("Group displayName is required");
            }
            if (values.get("id") == null) {
                throw new IllegalStateException("id not assigned");
            }
            values.put("id", Ids.requireGuid((String) values.get("id"), "group id"));
            values.putIfAbsent("mailNickname",
                    ((String) values.get("displayName")).replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT));
            values.putIfAbsent("securityEnabled", true);
            values.putIfAbsent("mailEnabled", false);
            values.putIfAbsent("groupTypes", List.of());
            return new Group(this);
        }
    }
}
