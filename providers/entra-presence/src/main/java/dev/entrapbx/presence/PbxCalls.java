package dev.entrapbx.presence;

import dev.entrapbx.graph.GraphException;
import dev.entrapbx.kc.Db;
import dev.entrapbx.sync.EntraSyncConfig;
import dev.entrapbx.sync.EntraUserMapper;
import dev.entrapbx.sync.PhoneSystemSync;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * The PBX's call states shown in Teams. {@link #accept} records a state in the caller's transaction
 * (newer than the stored one by event time, else refused as stale; the same state at the same time
 * again is a repeat), and {@link #push} gives Teams the latest state afterwards, off the PBX's request.
 *
 * <p>Ordering: every accepted state raises the member's version. A push reads the latest state, calls
 * Graph, records the version it gave, then reads again and pushes again if a newer state arrived
 * meanwhile. Whatever the interleaving of nodes and threads, the last Graph call for a member is made
 * by a push that afterwards found no newer state, so Teams ends on the latest state: a late
 * {@code idle} never overwrites a newer {@code in-call}.
 */
public final class PbxCalls {

    private static final Logger LOG = Logger.getLogger(PbxCalls.class);

    private PbxCalls() {
    }

    /** What became of a state the PBX sent. */
    public record Accepted(boolean accepted, String reason, PresenceStore.CallState current) {
    }

    /** Refused with what to fix (HTTP 409 / 404 for the caller). */
    public static final class Refused extends RuntimeException {
        private final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /**
     * Records {@code state} of {@code user} at {@code eventAt} (null: now) in {@code session}'s
     * transaction; the caller then asks {@link PresenceService#pushSoon} after the commit.
     *
     * @throws Refused when the phone system does not show PBX calls in Teams, or the user is not one of its synced members
     */
    public static Accepted accept(KeycloakSession session, RealmModel realm, OrganizationModel org, UserModel user, PbxState state,
                                  Long eventAt, Clock clock) {
        ComponentModel sync = PhoneSystemSync.ofOrganization(realm, org.getId(), org.getAlias()).orElseThrow(() -> new Refused(409, "Phone system '" + org.getAlias()
                + "' has no Microsoft Entra ID user sync, so no Teams to show PBX calls in."));
        if (!new EntraSyncConfig(sync).presenceFromPbx()) {
            throw new Refused(409, "Phone system '" + org.getAlias() + "' does not show PBX calls in Teams: switch on 'PBX calls shown in "
                    + "Teams' on its user sync '" + sync.getName() + "'.");
        }
        if (user == null || !sync.getId().equals(user.getFederationLink()) || user.getFirstAttribute(EntraUserMapper.ATTR_OID) == null) {
            throw new Refused(404, "No member of phone system '" + org.getAlias() + "' synced from Microsoft Entra ID has this user id.");
        }
        long now = clock.millis();
        String orgId = org.getId();
        String userId = user.getId();
        if (Db.run(session, "PBX call state", db -> PresenceStore.callState(db, orgId, userId, false)) == null) {
            createRow(session.getKeycloakSessionFactory(), realm.getId(), orgId, userId, now);
        }
        return Db.run(session, "PBX call state", db -> {
            PresenceStore.CallState current = PresenceStore.callState(db, orgId, userId, true);
            long at = eventAt != null ? eventAt : Math.max(now, current.eventAt());
            if (current.version() > 0 && at < current.eventAt()) {
                return new Accepted(false, "stale: the state of " + java.time.Instant.ofEpochMilli(current.eventAt())
                        + " is newer", current);
            }
            if (current.version() > 0 && at == current.eventAt() && current.state() == state) {
                return new Accepted(true, "repeat", current);
            }
            PresenceStore.updateCallState(db, orgId, userId, state, at, now);
            return new Accepted(true, null, PresenceStore.callState(db, orgId, userId, false));
        });
    }

    /** The row of a member's first state, in a transaction of its own (two first states at once: one insert wins, both then lock it). */
    private static void createRow(KeycloakSessionFactory sessions, String realmId, String orgId, String userId, long now) {
        try {
            KeycloakModelUtils.runJobInTransaction(sessions, s -> Db.run(s, "PBX call state", db -> {
                if (PresenceStore.callState(db, orgId, userId, false) == null) {
                    PresenceStore.insertCallState(db, realmId, orgId, userId, PbxState.IDLE, Long.MIN_VALUE / 4, now);
                }
                return null;
            }));
        } catch (RuntimeException e) {
            LOG.debugf(e, "PBX call state of %s: row created concurrently", userId);
        }
    }

    /**
     * Gives Teams the member's latest state, again while newer ones arrive; with {@code refresh}, also an
     * active state whose hold is half over (so a long call stays shown). A Graph failure is recorded on
     * the member (shown by {@code GET .../presence}) and logged; the next poll tries again.
     */
    static void push(KeycloakSessionFactory sessions, String realmId, String orgId, String userId, Clock clock, Duration retryFailed) {
        for (int round = 0; round < 10; round++) {
            Target t = KeycloakModelUtils.runJobInTransactionWithResult(sessions, s -> target(s, realmId, orgId, userId, clock, retryFailed));
            if (t == null) {
                return;
            }
            String error = null;
            try {
                if (t.state.state().shown()) {
                    t.graph.setPresence(t.oid, t.sessionId, t.state.state(), t.hold);
                } else if (t.state.state() == PbxState.IDLE && t.state.pushedState() != null && t.state.pushedState().shown()) {
                    t.graph.clearPresence(t.oid, t.sessionId);
                } // ringing, or idle after nothing shown: Teams keeps what it shows
            } catch (GraphException | IllegalArgumentException e) {
                error = e.getMessage();
                LOG.warnf("PBX call state '%s' of user %s (phone system %s) not shown in Teams: %s", t.state.state().id(), userId, orgId, error);
            }
            String failure = error;
            long version = t.state.version();
            // what Teams shows now: the new state once Graph took it; after a failure, what it showed before (so a retry knows
            // whether a session is there to clear)
            PbxState before = t.state.pushedState() == null ? PbxState.IDLE : t.state.pushedState();
            PbxState shown = failure == null && (t.state.state().shown() || t.state.state() == PbxState.IDLE) ? t.state.state() : before;
            boolean again = KeycloakModelUtils.runJobInTransactionWithResult(sessions, s -> Db.run(s, "PBX call state", db -> {
                PresenceStore.pushed(db, orgId, userId, version, shown, clock.millis(), failure);
                PresenceStore.CallState now = PresenceStore.callState(db, orgId, userId, false);
                return now != null && now.version() > version;
            }));
            if (!again) {
                return;
            }
        }
    }

    private record Target(PresenceStore.CallState state, GraphPresence graph, String oid, String sessionId, Duration hold) {
    }

    /** What to push now; null when Teams already has the latest state (and no refresh is due). */
    private static Target target(KeycloakSession s, String realmId, String orgId, String userId, Clock clock, Duration retryFailed) {
        RealmModel realm = s.realms().getRealm(realmId);
        if (realm == null) {
            return null;
        }
        s.getContext().setRealm(realm);
        PresenceStore.CallState state = Db.run(s, "PBX call state", db -> PresenceStore.callState(db, orgId, userId, false));
        OrganizationModel org = s.getProvider(org.keycloak.organization.OrganizationProvider.class).getById(orgId);
        UserModel user = s.users().getUserById(realm, userId);
        if (state == null || org == null || user == null) {
            return null;
        }
        Optional<ComponentModel> sync = PhoneSystemSync.ofOrganization(realm, org.getId(), org.getAlias());
        if (sync.isEmpty() || !new EntraSyncConfig(sync.get()).presenceFromPbx()) {
            return null;
        }
        Duration hold = Duration.ofMinutes(new EntraSyncConfig(sync.get()).presenceFromPbxMinutes());
        boolean refresh = state.pushedAt() != null && state.pushedState() != null && state.pushedState().shown()
                && state.pushedAt() < clock.millis() - hold.toMillis() / 2;
        boolean retry = state.pushError() != null && state.pushedAt() != null && state.pushedAt() < clock.millis() - retryFailed.toMillis();
        if (!state.pending() && !(refresh && state.state().shown()) && !retry) {
            return null;
        }
        PhoneSystemSync.Link link = PhoneSystemSync.link(s, realm, sync.get(), PhoneSystemSync.backgroundPolicy(s.getKeycloakSessionFactory()));
        return new Target(state, new GraphPresence(link.graph()), user.getFirstAttribute(EntraUserMapper.ATTR_OID),
                link.connection().clientId(), hold);
    }
}
