package dev.entrapbx.presence;

import java.util.Locale;

/**
 * A member's presence as the PBX sees it: Graph's availability and activity (e.g. {@code Busy} /
 * {@code InACall}), out of office, and where it came from.
 */
public record Presence(String availability, String activity, boolean outOfOffice, Source source) {

    /** Graph's answer for a user without Teams presence (no licence, or an id Teams does not know). */
    public static final String UNKNOWN = "PresenceUnknown";

    public enum Source {
        /** Teams presence (getPresencesByUserId). */
        TEAMS,
        /** The Outlook calendar (getSchedule), for a user whose Teams presence is unknown. */
        CALENDAR;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Source of(String id) {
            return CALENDAR.id().equals(id) ? CALENDAR : TEAMS;
        }
    }

    public Presence {
        availability = availability == null || availability.isBlank() ? UNKNOWN : availability;
        activity = activity == null || activity.isBlank() ? availability : activity;
    }

    public boolean unknown() {
        return UNKNOWN.equals(availability);
    }

    /** Whether the PBX would notice a difference (same state from the same source is no change). */
    public boolean sameAs(Presence other) {
        return other != null && availability.equals(other.availability) && activity.equals(other.activity)
                && outOfOffice == other.outOfOffice && source == other.source;
    }
}
