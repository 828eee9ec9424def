package dev.entrapbx.presence;

import java.util.Arrays;
import java.util.Optional;

/**
 * The PBX's call state of a member, and what Teams shows for it: Microsoft documents the pairs an
 * app may set with {@code setPresence} (Busy/InACall, Busy/InAConferenceCall, DoNotDisturb/Presenting,
 * Available/Available, Away/Away). {@code idle} clears the app's session ({@code clearPresence}), so
 * Teams shows what the user's other sessions say. {@code ringing} changes nothing in Teams (a ringing
 * phone is not a call yet) but is recorded, so a late {@code idle} cannot overtake it.
 */
public enum PbxState {
    IDLE("idle", null, null),
    RINGING("ringing", null, null),
    IN_CALL("in-call", "Busy", "InACall"),
    IN_CONFERENCE("in-conference", "Busy", "InAConferenceCall"),
    DND("dnd", "DoNotDisturb", "Presenting");

    private final String id;
    private final String availability;
    private final String activity;

    PbxState(String id, String availability, String activity) {
        this.id = id;
        this.availability = availability;
        this.activity = activity;
    }

    public String id() {
        return id;
    }

    /** Graph's availability to set; null for states that set nothing. */
    public String availability() {
        return availability;
    }

    public String activity() {
        return activity;
    }

    /** Whether Teams shows a state of ours for it (else our session is cleared). */
    public boolean shown() {
        return availability != null;
    }

    public static Optional<PbxState> parse(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
    }

    static PbxState of(String id) {
        return parse(id).orElse(IDLE);
    }

    public static String ids() {
        return String.join(", ", Arrays.stream(values()).map(PbxState::id).toList());
    }
}
