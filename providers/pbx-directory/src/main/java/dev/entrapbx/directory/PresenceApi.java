package dev.entrapbx.directory;

import dev.entrapbx.sync.PhoneSystemSync;
import com.fasterxml.jackson.databind.JsonNode;
import dev.entrapbx.kc.Db;
import dev.entrapbx.presence.NotificationResourceFactory;
import dev.entrapbx.presence.PbxCalls;
import dev.entrapbx.presence.PbxState;
import dev.entrapbx.presence.PresenceJson;
import dev.entrapbx.presence.PresenceStore;
import dev.entrapbx.sync.EntraSyncConfig;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Presence for the PBX: {@code GET .../presence} (every member's Teams or calendar presence and PBX
 * call state, with the feed cursor to follow {@code presence.changed} from), and
 * {@code POST .../presence/{userId}} (the PBX's call state, shown in Teams by the presence module).
 */
final class PresenceApi {

    private final KeycloakSession session;
    private final RealmModel realm;

    PresenceApi(KeycloakSession session) {
        this.session = session;
        this.realm = session.getContext().getRealm();
    }

    Response list(OrganizationModel org, String user) {
        Optional<ComponentModel> sync = PhoneSystemSync.ofOrganization(realm, org.getId(), org.getAlias());
        EntraSyncConfig config = sync.map(EntraSyncConfig::new).orElse(null);
        FeedWriter.start(session, realm.getId(), org.getId());
        return Db.run(session, "Presence", db -> {
            long seq = FeedStore.head(db, org.getId(), false).map(FeedStore.Head::seq).orElse(0L);
            Map<String, PresenceStore.Row> rows = new LinkedHashMap<>();
            PresenceStore.ofOrganization(db, org.getId()).forEach(r -> rows.put(r.userId(), r));
            Map<String, PresenceStore.CallState> calls = PresenceStore.callStates(db, org.getId());
            TreeSet<String> ids = new TreeSet<>(rows.keySet());
            ids.addAll(calls.keySet());
            List<Map<String, Object>> items = new ArrayList<>();
            for (String id : ids) {
                if (user != null && !user.isBlank() && !user.trim().equals(id)) {
                    continue;
                }
                PresenceStore.Row r = rows.get(id);
                Map<String, Object> m = r != null ? PresenceJson.map(id, r.presence(), r.changedAt()) : absent(id);
                PresenceStore.CallState c = calls.get(id);
                m.put("pbx", c == null || c.version() == 0 ? null : call(c));
                items.add(m);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("teamsPresence", config != null && config.presence());
            out.put("calendar", config != null && config.presenceCalendar());
            out.put("pbxCallsInTeams", config != null && config.presenceFromPbx());
            out.put("presence", items);
            out.put("changesCursor", Cursors.feed(org.getId(), seq));
            return PbxResource.json(out);
        });
    }

    private static Map<String, Object> absent(String userId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("userId", userId);
        m.put("availability", null);
        m.put("activity", null);
        m.put("outOfOffice", null);
        m.put("source", null);
        m.put("since", null);
        return m;
    }

    /** The PBX's call state and what Teams shows of it: shown, cleared, unchanged (ringing), pending, or failed with the error. */
    static Map<String, Object> call(PresenceStore.CallState c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", c.state().id());
        m.put("at", Instant.ofEpochMilli(c.eventAt()).toString());
        String teams;
        if (c.pending()) {
            teams = "pending";
        } else if (c.pushError() != null) {
            teams = "failed";
        } else if (c.state().shown()) {
            teams = "shown";
        } else if (c.state() == PbxState.IDLE) {
            teams = "cleared";
        } else {
            teams = "unchanged";
        }
        m.put("teams", teams);
        m.put("teamsError", c.pushError());
        m.put("teamsUpdatedAt", c.pushedAt() == null ? null : Instant.ofEpochMilli(c.pushedAt()).toString());
        return m;
    }

    Response set(OrganizationModel org, String userId, String body) {
        JsonNode json;
        try {
            json = body == null || body.isBlank() ? null : Json.MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            json = null;
        }
        if (json == null || !json.isObject()) {
            throw DirectoryAccess.error(Response.Status.BAD_REQUEST, "invalid_request", "The body must be a JSON object: {\"state\": \"in-call\", "
                    + "\"at\": \"2026-12-04T10:15:30.123Z\"}.", null);
        }
        String stateId = json.path("state").asText("");
        PbxState state = PbxState.parse(stateId).orElseThrow(() -> DirectoryAccess.error(Response.Status.BAD_REQUEST, "invalid_request",
                "'state' must be one of " + PbxState.ids() + " (got '" + stateId + "').", null));
        Long at = eventTime(json.get("at"));
        UserModel user = userId == null ? null : session.users().getUserById(realm, userId);
        PbxCalls.Accepted a;
        try {
            a = PbxCalls.accept(session, realm, org, user, state, at, Clock.systemUTC());
        } catch (PbxCalls.Refused e) {
            throw DirectoryAccess.error(Response.Status.fromStatusCode(e.status()), e.status() == 404 ? "not_found" : "conflict", e.getMessage(), null);
        }
        if (a.accepted() && a.reason() == null) {
            String realmId = realm.getId();
            String orgId = org.getId();
            String uid = user.getId();
            session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
                @Override
                protected void commitImpl() {
                    NotificationResourceFactory.service(session.getKeycloakSessionFactory()).pushSoon(realmId, orgId, uid);
                }

                @Override
                protected void rollbackImpl() {
                }
            });
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("userId", user.getId());
        out.put("accepted", a.accepted());
        out.put("reason", a.reason());
        out.put("pbx", call(a.current()));
        return Response.status(a.accepted() && a.reason() == null ? Response.Status.ACCEPTED : Response.Status.OK)
                .entity(Json.write(out)).type(jakarta.ws.rs.core.MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store").build();
    }

    /** {@code at}: an RFC 3339 time or epoch milliseconds; absent: the time of arrival. */
    private static Long eventTime(JsonNode at) {
        if (at == null || at.isNull()) {
            return null;
        }
        if (at.isIntegralNumber()) {
            return at.asLong();
        }
        try {
            return Instant.parse(at.asText()).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw DirectoryAccess.error(Response.Status.BAD_REQUEST, "invalid_request", "'at' must be an RFC 3339 time such as "
                    + "2026-12-04T10:15:30.123Z, or epoch milliseconds (got '" + at.asText() + "').", null);
        }
    }
}
