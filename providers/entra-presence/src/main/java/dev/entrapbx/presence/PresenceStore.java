package dev.entrapbx.presence;

import dev.entrapbx.kc.Jdbc;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The presence tables (plain JDBC on the session's transaction): each member's presence as last
 * read ({@code ENTRAPBX_PRESENCE}), and the PBX's call state per member with what Teams was last
 * given ({@code ENTRAPBX_PBX_STATE}).
 */
public final class PresenceStore {

    private PresenceStore() {
    }

    /** A stored presence. */
    public record Row(String userId, String entraId, Presence presence, long changedAt) {
    }

    /** The component's stored presences, by Keycloak user id. */
    static Map<String, Row> ofComponent(Jdbc db, String componentId) throws SQLException {
        Map<String, Row> out = new HashMap<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT USER_ID, ENTRA_ID, AVAILABILITY, ACTIVITY, OUT_OF_OFFICE, SOURCE, CHANGED_AT"
                + " FROM #ENTRAPBX_PRESENCE WHERE COMPONENT_ID = ?")) {
            ps.setString(1, componentId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Row r = row(rs);
                    out.put(r.userId(), r);
                }
            }
        }
        return out;
    }

    /** The phone system's stored presences, ordered by user id. */
    public static List<Row> ofOrganization(Jdbc db, String organizationId) throws SQLException {
        List<Row> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT USER_ID, ENTRA_ID, AVAILABILITY, ACTIVITY, OUT_OF_OFFICE, SOURCE, CHANGED_AT"
                + " FROM #ENTRAPBX_PRESENCE WHERE ORG_ID = ? ORDER BY USER_ID")) {
            ps.setString(1, organizationId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
        }
        return out;
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getString(1), rs.getString(2), new Presence(rs.getString(3), rs.getString(4), rs.getBoolean(5),
                Presence.Source.of(rs.getString(6))), rs.getLong(7));
    }

    static void upsert(Jdbc db, String realmId, String organizationId, String componentId, String userId, String entraId, Presence p,
                       long at, boolean exists) throws SQLException {
        if (exists) {
            db.update("UPDATE #ENTRAPBX_PRESENCE SET ENTRA_ID = ?, AVAILABILITY = ?, ACTIVITY = ?, OUT_OF_OFFICE = ?, SOURCE = ?, CHANGED_AT = ?,"
                    + " COMPONENT_ID = ? WHERE ORG_ID = ? AND USER_ID = ?", entraId, p.availability(), p.activity(), p.outOfOffice(),
                    p.source().id(), at, componentId, organizationId, userId);
        } else {
            db.update("INSERT INTO #ENTRAPBX_PRESENCE (ORG_ID, USER_ID, REALM_ID, COMPONENT_ID, ENTRA_ID, AVAILABILITY, ACTIVITY, OUT_OF_OFFICE,"
                    + " SOURCE, CHANGED_AT) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", organizationId, userId, realmId, componentId, entraId,
                    p.availability(), p.activity(), p.outOfOffice(), p.source().id(), at);
        }
    }

    /** Members no longer synced (or no longer enabled): their presence is forgotten. */
    static void forget(Jdbc db, String organizationId, List<String> userIds) throws SQLException {
        for (String userId : userIds) {
            db.update("DELETE FROM #ENTRAPBX_PRESENCE WHERE ORG_ID = ? AND USER_ID = ?", organizationId, userId);
        }
    }

    // ---- the PBX's call states ----

    /** A member's PBX call state: the latest accepted (state, its event time, version) and what Teams was last given. */
    public record CallState(String userId, PbxState state, long eventAt, long version, long pushedVersion, PbxState pushedState,
                            Long pushedAt, String pushError, long updatedAt) {
        /** Whether Teams has not yet been given the latest state. */
        public boolean pending() {
            return pushedVersion < version;
        }
    }

    public static CallState callState(Jdbc db, String organizationId, String userId, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("SELECT USER_ID, STATE, EVENT_AT, VERSION, PUSHED_VERSION, PUSHED_STATE, PUSHED_AT,"
                + " PUSH_ERROR, UPDATED_AT FROM #ENTRAPBX_PBX_STATE WHERE ORG_ID = ? AND USER_ID = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setString(1, organizationId);
            ps.setString(2, userId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? callState(rs) : null;
            }
        }
    }

    public static Map<String, CallState> callStates(Jdbc db, String organizationId) throws SQLException {
        Map<String, CallState> out = new HashMap<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT USER_ID, STATE, EVENT_AT, VERSION, PUSHED_VERSION, PUSHED_STATE, PUSHED_AT,"
                + " PUSH_ERROR, UPDATED_AT FROM #ENTRAPBX_PBX_STATE WHERE ORG_ID = ?")) {
            ps.setString(1, organizationId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    CallState c = callState(rs);
                    out.put(c.userId(), c);
                }
            }
        }
        return out;
    }

    private static CallState callState(ResultSet rs) throws SQLException {
        long pushedAt = rs.getLong(7);
        Long at = rs.wasNull() ? null : pushedAt;
        String pushed = rs.getString(6);
        return new CallState(rs.getString(1), PbxState.of(rs.getString(2)), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                pushed == null ? null : PbxState.of(pushed), at, rs.getString(8), rs.getLong(9));
    }

    static void insertCallState(Jdbc db, String realmId, String organizationId, String userId, PbxState state, long eventAt, long now)
            throws SQLException {
        db.update("INSERT INTO #ENTRAPBX_PBX_STATE (ORG_ID, USER_ID, REALM_ID, STATE, EVENT_AT, VERSION, PUSHED_VERSION, UPDATED_AT)"
                + " VALUES (?, ?, ?, ?, ?, 0, 0, ?)", organizationId, userId, realmId, state.id(), eventAt, now);
    }

    /** Accepts a newer state: the version grows, so a push under way sees it was overtaken. */
    static void updateCallState(Jdbc db, String organizationId, String userId, PbxState state, long eventAt, long now) throws SQLException {
        db.update("UPDATE #ENTRAPBX_PBX_STATE SET STATE = ?, EVENT_AT = ?, VERSION = VERSION + 1, UPDATED_AT = ? WHERE ORG_ID = ? AND USER_ID = ?",
                state.id(), eventAt, now, organizationId, userId);
    }

    /** Records that Teams was given {@code version} ({@code error}: null when it worked). */
    static void pushed(Jdbc db, String organizationId, String userId, long version, PbxState state, long at, String error) throws SQLException {
        if (error == null) {
            db.update("UPDATE #ENTRAPBX_PBX_STATE SET PUSHED_VERSION = ?, PUSHED_STATE = ?, PUSHED_AT = ?, PUSH_ERROR = NULL"
                    + " WHERE ORG_ID = ? AND USER_ID = ? AND PUSHED_VERSION <= ?", version, state.id(), at, organizationId, userId, version);
        } else {
            // PUSHED_STATE stays what Teams shows; PUSHED_AT is this attempt's time, from which the retry is counted
            db.update("UPDATE #ENTRAPBX_PBX_STATE SET PUSHED_VERSION = ?, PUSHED_AT = ?, PUSH_ERROR = ? WHERE ORG_ID = ? AND USER_ID = ?"
                    + " AND PUSHED_VERSION <= ?", version, at, error.length() > 2000 ? error.substring(0, 2000) : error, organizationId, userId,
                    version);
        }
    }

    /** The members whose latest state Teams has not been given, or whose shown state must be set again before it runs out. */
    static List<String> pushesDue(Jdbc db, String organizationId, long refreshBefore, long retryBefore) throws SQLException {
        List<String> out = new ArrayList<>();
        String shown = java.util.Arrays.stream(PbxState.values()).filter(PbxState::shown).map(st -> "'" + st.id() + "'")
                .collect(java.util.stream.Collectors.joining(", "));
        try (PreparedStatement ps = db.prepareStatement("SELECT USER_ID FROM #ENTRAPBX_PBX_STATE WHERE ORG_ID = ? AND (PUSHED_VERSION < VERSION"
                + " OR (PUSHED_AT < ? AND PUSHED_STATE IN (" + shown + ") AND PUSH_ERROR IS NULL)"
                + " OR (PUSHED_AT < ? AND PUSH_ERROR IS NOT NULL))")) {
            ps.setString(1, organizationId);
            ps.setLong(2, refreshBefore);
            ps.setLong(3, retryBefore);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** Everything of an Organization, a realm or a user ({@code column} ORG_ID, REALM_ID or USER_ID). */
    static void delete(Jdbc db, String column, String value) throws SQLException {
        db.update("DELETE FROM #ENTRAPBX_PRESENCE WHERE " + column + " = ?", value);
        db.update("DELETE FROM #ENTRAPBX_PBX_STATE WHERE " + column + " = ?", value);
    }
}
