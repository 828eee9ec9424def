package dev.entrapbx.presence;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.graph.models.FreeBusyStatus;
import org.junit.jupiter.api.Test;

/** The pure rules of presence: what Teams shows for a PBX state, calendar status as presence, a notification's clientState. */
class PresenceRulesTest {

    @Test
    void pbxStatesMapToThePairsMicrosoftDocumentsForSetPresence() {
        assertThat(PbxState.parse("in-call")).contains(PbxState.IN_CALL);
        assertThat(PbxState.IN_CALL.availability() + "/" + PbxState.IN_CALL.activity()).isEqualTo("Busy/InACall");
        assertThat(PbxState.IN_CONFERENCE.availability() + "/" + PbxState.IN_CONFERENCE.activity()).isEqualTo("Busy/InAConferenceCall");
        assertThat(PbxState.DND.availability() + "/" + PbxState.DND.activity()).isEqualTo("DoNotDisturb/Presenting");
        assertThat(PbxState.IDLE.shown()).as("idle clears the app's session").isFalse();
        assertThat(PbxState.RINGING.shown()).as("a ringing phone is not a call in Teams").isFalse();
        assertThat(PbxState.parse("In-Call")).as("state ids are exact").isEmpty();
        assertThat(PbxState.parse("busy")).isEmpty();
        assertThat(PbxState.ids()).isEqualTo("idle, ringing, in-call, in-conference, dnd");
    }

    @Test
    void calendarStatusBecomesPresenceAsTeamsShowsAMeeting() {
        Presence busy = GraphPresence.calendarPresence(FreeBusyStatus.Busy);
        assertThat(busy.availability() + "/" + busy.activity()).isEqualTo("Busy/InAMeeting");
        assertThat(busy.source()).isEqualTo(Presence.Source.CALENDAR);
        assertThat(GraphPresence.calendarPresence(FreeBusyStatus.Tentative).availability()).isEqualTo("Busy");
        Presence oof = GraphPresence.calendarPresence(FreeBusyStatus.Oof);
        assertThat(oof.availability() + "/" + oof.activity()).isEqualTo("Away/OutOfOffice");
        assertThat(oof.outOfOffice()).isTrue();
        assertThat(GraphPresence.calendarPresence(FreeBusyStatus.Free)).as("free: the Teams answer stands").isNull();
        assertThat(GraphPresence.calendarPresence(FreeBusyStatus.WorkingElsewhere)).isNull();
        assertThat(GraphPresence.calendarPresence(null)).isNull();
    }

    @Test
    void aMissingAvailabilityIsUnknownAndOnlyRealDifferencesCount() {
        Presence unknown = new Presence(null, null, false, Presence.Source.TEAMS);
        assertThat(unknown.unknown()).isTrue();
        assertThat(unknown.activity()).isEqualTo(Presence.UNKNOWN);
        Presence busy = new Presence("Busy", "InACall", false, Presence.Source.TEAMS);
        assertThat(busy.sameAs(new Presence("Busy", "InACall", false, Presence.Source.TEAMS))).isTrue();
        assertThat(busy.sameAs(new Presence("Busy", "InACall", false, Presence.Source.CALENDAR))).as("another source is a change").isFalse();
        assertThat(busy.sameAs(new Presence("Busy", "InACall", true, Presence.Source.TEAMS))).as("out of office is a change").isFalse();
        assertThat(busy.sameAs(null)).isFalse();
    }

    @Test
    void aNotificationCountsOnlyWithItsSubscriptionsClientState() {
        UserChanges.Stored s = new UserChanges.Stored("sub-1", "component", "realm", "Zm9vYmFyYmF6cXV4", 0);
        assertThat(UserChanges.clientStateMatches(s, "Zm9vYmFyYmF6cXV4")).isTrue();
        assertThat(UserChanges.clientStateMatches(s, "Zm9vYmFyYmF6cXV")).isFalse();
        assertThat(UserChanges.clientStateMatches(s, "")).isFalse();
        assertThat(UserChanges.clientStateMatches(s, null)).isFalse();
    }

    @Test
    void theNotificationUrlIsTheRealmsEndpointUnderTheConfiguredBase() {
        assertThat(UserChanges.notificationUrl("https://login.partner.example", "partner"))
                .isEqualTo("https://login.partner.example/realms/partner/entra-notifications");
        assertThat(UserChanges.notificationUrl("https://login.partner.example/auth", "partner one"))
                .isEqualTo("https://login.partner.example/auth/realms/partner%20one/entra-notifications");
    }
}
