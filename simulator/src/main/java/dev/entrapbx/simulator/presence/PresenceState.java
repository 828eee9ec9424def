package dev.entrapbx.simulator.presence;

import java.util.List;
import java.util.Set;

/**
 * A presence as Graph shows it: availability, activity and the out-of-office settings
 * (https://learn.microsoft.com/graph/api/resources/presence).
 */
public record PresenceState(String availability, String activity, String outOfOfficeMessage, boolean outOfOffice) {

    /** Graph's documented availability values. */
    public static final List<String> AVAILABILITIES = List.of("Available", "AvailableIdle", "Away", "BeRightBack",
            "Busy", "BusyIdle", "DoNotDisturb", "Offline", "PresenceUnknown");
    /** Graph's documented activity values. */
    public static final List<String> ACTIVITIES = List.of("Available", "Away", "BeRightBack", "Busy", "DoNotDisturb",
            "InACall", "InAConferenceCall", "Inactive", "InAMeeting", "Offline", "OffWork", "OutOfOffice",
            "PresenceUnknown", "Presenting", "UrgentInterruptionsOnly");
    /** The availability/activity pairs setPresence accepts (presence-setpresence, v1.0). */
    public static final Set<String> SET_PRESENCE_COMBINATIONS = Set.of("Available/Available", "Busy/InACall",
            "Busy/InAConferenceCall", "Away/Away", "DoNotDisturb/Presenting");

    public static final PresenceState OFFLINE = new PresenceState("Offline", "Offline", null, false);
    public static final PresenceState UNKNOWN = new PresenceState("PresenceUnknown", "PresenceUnknown", null, false);

    public PresenceState withOutOfOffice(String message, boolean isOutOfOffice) {
        return new PresenceState(availability, activity, message, isOutOfOffice);
    }

    /**
     * Precedence among sessions, as setPresence documents the aggregation of app-configured sessions:
     * DoNotDisturb > Busy > Available > Away (idle and be-right-back variants rank with their base).
     */
    static int rank(String availability) {
        return switch (availability) {
            case "DoNotDisturb" -> 5;
            case "Busy", "BusyIdle" -> 4;
            case "Available", "AvailableIdle" -> 3;
            case "Away", "BeRightBack" -> 2;
            default -> 0;
        };
    }
}
