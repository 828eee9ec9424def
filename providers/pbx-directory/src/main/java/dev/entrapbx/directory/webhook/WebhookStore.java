package dev.entrapbx.directory.webhook;

import dev.entrapbx.kc.Jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The webhook tables in plain SQL (as the feed's): webhooks, their delivery position per phone
 * system, and the delivery log. Claims are one conditional UPDATE each, so that of several nodes
 * exactly one delivers a position at a time.
 */
final class WebhookStore {

    /** A webhook's delivery position in one phone system's feed. */
    record Position(String webhookId, String organizationId, String realmId, long deliveredSeq, long nextAt, int failures,
                    String leaseOwner, long leaseUntil) {
    }

    /** A (webhook, phone system) pair. */
    record Key(String webhookId, String organizationId) {
    }

    /** A realm-wide webhook and a phone system of its realm it has no position in yet. */
    record Missing(String webhookId, String organizationId, String realmId) {
    }

    /** One delivery attempt. */
    record Attempt(String id, String webhookId, String realmId, String organizationId, long seq, String messageId, int attempt, long at,
                   Integer status, String error, long durationMillis) {
    }

    private static final String COLUMNS = "ID, REALM_ID, ORG_ID, URL, DESCRIPTION, ENABLED, DISABLED_REASON, DISABLED_AT, MAX_FAILURES,"
            + " SECRET, PREVIOUS_SECRET, PREVIOUS_UNTIL, BASE_URL, CREATED_AT";
    private static final String POS_COLUMNS = "WEBHOOK_ID, ORG_ID, REALM_ID, DELIVERED_SEQ, NEXT_AT, FAILURES, LEASE_OWNER, LEASE_UNTIL";

    private WebhookStore() {
    }

    static void insert(Jdbc db, Webhook w) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO #ENTRAPBX_WEBHOOK (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, w.id());
            ps.setString(2, w.realmId());
            ps.setString(3, w.organizationId());
            bindSettings(ps, 4, w);
            ps.setLong(14, w.createdAt());
            ps.executeUpdate();
        }
    }

    /** Everything but id, realm, Organization and creation time. */
    static void update(Jdbc db, Webhook w) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("UPDATE #ENTRAPBX_WEBHOOK SET URL = ?, DESCRIPTION = ?, ENABLED = ?, DISABLED_REASON = ?,"
                + " DISABLED_AT = ?, MAX_FAILURES = ?, SECRET = ?, PREVIOUS_SECRET = ?, PREVIOUS_UNTIL = ?, BASE_URL = ? WHERE ID = ?")) {
            bindSettings(ps, 1, w);
            ps.setString(11, w.id());
            ps.executeUpdate();
        }
    }

    private static void bindSettings(PreparedStatement ps, int i, Webhook w) throws SQLException {
        ps.setString(i, w.url());
        ps.setString(i + 1, w.description());
        ps.setBoolean(i + 2, w.enabled());
        ps.setString(i + 3, w.disabledReason());
        setLong(ps, i + 4, w.disabledAt());
        ps.setInt(i + 5, w.maxFailures());
        ps.setString(i + 6, w.secret());
        ps.setString(i + 7, w.previousSecret());
        setLong(ps, i + 8, w.previousUntil());
        ps.setString(i + 9, w.baseUrl());
    }

    static Optional<Webhook> get(Jdbc db, String id) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("SELECT " + COLUMNS + " FROM #ENTRAPBX_WEBHOOK WHERE ID = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(webhook(rs)) : Optional.empty();
            }
        }
    }

    /** The realm's webhooks (oldest first); with {@code organizationId}, only that phone system's own. */
    static List<Webhook> list(Jdbc db, String realmId, String organizationId) throws SQLException {
        List<Webhook> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT " + COLUMNS + " FROM #ENTRAPBX_WEBHOOK WHERE REALM_ID = ?"
                + (organizationId == null ? "" : " AND ORG_ID = ?") + " ORDER BY CREATED_AT, ID")) {
            ps.setString(1, realmId);
            if (organizationId != null) {
                ps.setString(2, organizationId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(webhook(rs));
                }
            }
        }
        return out;
    }

    private static Webhook webhook(ResultSet rs) throws SQLException {
        return new Webhook(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getBoolean(6),
                rs.getString(7), getLong(rs, 8), rs.getInt(9), rs.getString(10), rs.getString(11), getLong(rs, 12), rs.getString(13),
                rs.getLong(14));
    }

    /** Switches a webhook off with its reason; false when it was already off (or is gone). */
    static boolean disable(Jdbc db, String id, String reason, long at) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("UPDATE #ENTRAPBX_WEBHOOK SET ENABLED = ?, DISABLED_REASON = ?, DISABLED_AT = ?"
                + " WHERE ID = ? AND ENABLED = ?")) {
            ps.setBoolean(1, false);
            ps.setString(2, reason.length() > 2000 ? reason.substring(0, 2000) : reason);
            ps.setLong(3, at);
            ps.setString(4, id);
            ps.setBoolean(5, true);
            return ps.executeUpdate() == 1;
        }
    }

    static void delete(Jdbc db, String id) throws SQLException {
        for (String table : List.of("ENTRAPBX_WEBHOOK_LOG", "ENTRAPBX_WEBHOOK_POS")) {
            try (PreparedStatement ps = db.prepareStatement("DELETE FROM #" + table + " WHERE WEBHOOK_ID = ?")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = db.prepareStatement("DELETE FROM #ENTRAPBX_WEBHOOK WHERE ID = ?")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
    }

    /** A removed Organization: its own webhooks, and every position and log row in its feed. */
    static void deleteOrganization(Jdbc db, String organizationId) throws SQLException {
        for (Webhook w : byOrganization(db, organizationId)) {
            delete(db, w.id());
        }
        for (String table : List.of("ENTRAPBX_WEBHOOK_LOG", "ENTRAPBX_WEBHOOK_POS")) {
            try (PreparedStatement ps = db.prepareStatement("DELETE FROM #" + table + " WHERE ORG_ID = ?")) {
                ps.setString(1, organizationId);
                ps.executeUpdate();
            }
        }
    }

    /** A removed realm: all of its webhooks, positions and log. */
    static void deleteRealm(Jdbc db, String realmId) throws SQLException {
        for (String table : List.of("ENTRAPBX_WEBHOOK_LOG", "ENTRAPBX_WEBHOOK_POS", "ENTRAPBX_WEBHOOK")) {
            try (PreparedStatement ps = db.prepareStatement("DELETE FROM #" + table + " WHERE REALM_ID = ?")) {
                ps.setString(1, realmId);
                ps.executeUpdate();
            }
        }
    }

    private static List<Webhook> byOrganization(Jdbc db, String organizationId) throws SQLException {
        List<Webhook> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT " + COLUMNS + " FROM #ENTRAPBX_WEBHOOK WHERE ORG_ID = ?")) {
            ps.setString(1, organizationId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(webhook(rs));
                }
            }
        }
        return out;
    }

    // ---- positions

    static void insertPosition(Jdbc db, String webhookId, String organizationId, String realmId, long deliveredSeq) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO #ENTRAPBX_WEBHOOK_POS (" + POS_COLUMNS + ") VALUES (?, ?, ?, ?, 0, 0, NULL, 0)")) {
            ps.setString(1, webhookId);
            ps.setString(2, organizationId);
            ps.setString(3, realmId);
            ps.setLong(4, deliveredSeq);
            ps.executeUpdate();
        }
    }

    static List<Position> positions(Jdbc db, String webhookId) throws SQLException {
        List<Position> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT " + POS_COLUMNS + " FROM #ENTRAPBX_WEBHOOK_POS WHERE WEBHOOK_ID = ? ORDER BY ORG_ID")) {
            ps.setString(1, webhookId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(position(rs));
                }
            }
        }
        return out;
    }

    static Optional<Position> position(Jdbc db, Key key) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("SELECT " + POS_COLUMNS + " FROM #ENTRAPBX_WEBHOOK_POS WHERE WEBHOOK_ID = ? AND ORG_ID = ?")) {
            ps.setString(1, key.webhookId());
            ps.setString(2, key.organizationId());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(position(rs)) : Optional.empty();
            }
        }
    }

    private static Position position(ResultSet rs) throws SQLException {
        return new Position(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5), rs.getInt(6), rs.getString(7),
                rs.getLong(8));
    }

    /** Re-enabled: no failures, due now; a position behind its feed's retention moves to what is kept. */
    static void resume(Jdbc db, String webhookId) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("UPDATE #ENTRAPBX_WEBHOOK_POS SET FAILURES = 0, NEXT_AT = 0 WHERE WEBHOOK_ID = ?")) {
            ps.setString(1, webhookId);
            ps.executeUpdate();
        }
    }

    /** Moves a position forward to {@code seq} (an admin re-enabled a webhook past purged rows). */
    static void skipTo(Jdbc db, Key key, long seq) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("UPDATE #ENTRAPBX_WEBHOOK_POS SET DELIVERED_SEQ = ? WHERE WEBHOOK_ID = ? AND ORG_ID = ?"
                + " AND DELIVERED_SEQ < ?")) {
            ps.setLong(1, seq);
            ps.setString(2, key.webhookId());
            ps.setString(3, key.organizationId());
            ps.setLong(4, seq);
            ps.executeUpdate();
        }
    }

    /** Realm-wide webhooks and the phone systems (with a feed) they have no position in yet. */
    static List<Missing> missingPositions(Jdbc db) throws SQLException {
        List<Missing> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT w.ID, h.ORG_ID, w.REALM_ID FROM #ENTRAPBX_WEBHOOK w"
                + " JOIN #ENTRAPBX_DIR_HEAD h ON h.REALM_ID = w.REALM_ID WHERE w.ORG_ID IS NULL AND NOT EXISTS"
                + " (SELECT 1 FROM #ENTRAPBX_WEBHOOK_POS p WHERE p.WEBHOOK_ID = w.ID AND p.ORG_ID = h.ORG_ID)")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Missing(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
        }
        return out;
    }

    /** Positions with an undelivered feed row, due now, of an enabled webhook, not claimed by a live lease. */
    static List<Key> due(Jdbc db, long now, int limit) throws SQLException {
        List<Key> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT p.WEBHOOK_ID, p.ORG_ID FROM #ENTRAPBX_WEBHOOK_POS p"
                + " JOIN #ENTRAPBX_WEBHOOK w ON w.ID = p.WEBHOOK_ID JOIN #ENTRAPBX_DIR_HEAD h ON h.ORG_ID = p.ORG_ID"
                + " WHERE w.ENABLED = ? AND h.SEQ > p.DELIVERED_SEQ AND p.NEXT_AT <= ? AND p.LEASE_UNTIL < ?"
                + " ORDER BY p.NEXT_AT LIMIT ?")) {
            ps.setBoolean(1, true);
            ps.setLong(2, now);
            ps.setLong(3, now);
            ps.setInt(4, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Key(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return out;
    }

    /** Claims a position for {@code owner} until {@code until} if its lease is free or expired; true when this call got it. */
    static boolean claim(Jdbc db, Key key, String owner, long now, long until) throws SQLException {
        return updatePosition(db, "LEASE_OWNER = ?, LEASE_UNTIL = ?", key, "LEASE_UNTIL < ?", owner, until, now) == 1;
    }

    /** Extends this owner's lease; false when it is not ours anymore. */
    static boolean extend(Jdbc db, Key key, String owner, long until) throws SQLException {
        return updatePosition(db, "LEASE_UNTIL = ?", key, "LEASE_OWNER = ?", until, owner) == 1;
    }

    /** Delivered {@code seq} (the row after {@code from}): the position moves on and the lease is extended; false if not ours anymore. */
    static boolean advance(Jdbc db, Key key, String owner, long from, long seq, long leaseUntil) throws SQLException {
        return updatePosition(db, "DELIVERED_SEQ = ?, FAILURES = 0, NEXT_AT = 0, LEASE_UNTIL = ?", key, "LEASE_OWNER = ? AND DELIVERED_SEQ = ?",
                seq, leaseUntil, owner, from) == 1;
    }

    /** A failed attempt: the run of failures, when to try again; the lease is given up. */
    static boolean fail(Jdbc db, Key key, String owner, int failures, long nextAt) throws SQLException {
        return updatePosition(db, "FAILURES = ?, NEXT_AT = ?, LEASE_OWNER = NULL, LEASE_UNTIL = 0", key, "LEASE_OWNER = ?",
                failures, nextAt, owner) == 1;
    }

    /** Gives up the lease; the position is due again from {@code nextAt} (0: as soon as it has a row). */
    static void release(Jdbc db, Key key, String owner, long nextAt) throws SQLException {
        updatePosition(db, "LEASE_OWNER = NULL, LEASE_UNTIL = 0, NEXT_AT = CASE WHEN NEXT_AT > ? THEN NEXT_AT ELSE ? END", key,
                "LEASE_OWNER = ?", nextAt, nextAt, owner);
    }

    /**
     * {@code UPDATE} of one webhook position: {@code SET set WHERE <key> AND condition}; {@code values} fill the placeholders of
     * {@code set} first, then those of {@code condition}. Returns the rows updated (0 or 1).
     */
    private static int updatePosition(Jdbc db, String set, Key key, String condition, Object... values) throws SQLException {
        int inSet = (int) set.chars().filter(c -> c == '?').count();
        try (PreparedStatement ps = db.prepareStatement("UPDATE #ENTRAPBX_WEBHOOK_POS SET " + set
                + " WHERE WEBHOOK_ID = ? AND ORG_ID = ? AND " + condition)) {
            int i = 1;
            for (int v = 0; v < values.length; v++) {
                if (v == inSet) {
                    ps.setString(i++, key.webhookId());
                    ps.setString(i++, key.organizationId());
                }
                ps.setObject(i++, values[v]);
            }
            if (inSet == values.length) {
                ps.setString(i++, key.webhookId());
                ps.setString(i, key.organizationId());
            }
            return ps.executeUpdate();
        }
    }

    // ---- delivery log

    /** Logs an attempt (if the webhook still exists) and keeps the newest {@code keep} of the webhook. */
    static void log(Jdbc db, Attempt a, int keep) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO #ENTRAPBX_WEBHOOK_LOG (ID, WEBHOOK_ID, REALM_ID, ORG_ID, SEQ, MESSAGE_ID, ATTEMPT,"
                + " ATTEMPTED_AT, STATUS, ERROR, DURATION_MS) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM #ENTRAPBX_WEBHOOK WHERE ID = ?")) {
            ps.setString(1, a.id());
            ps.setString(2, a.webhookId());
            ps.setString(3, a.realmId());
            ps.setString(4, a.organizationId());
            ps.setLong(5, a.seq());
            ps.setString(6, a.messageId());
            ps.setInt(7, a.attempt());
            ps.setLong(8, a.at());
            if (a.status() == null) {
                ps.setNull(9, Types.INTEGER);
            } else {
                ps.setInt(9, a.status());
            }
            ps.setString(10, a.error() == null || a.error().length() <= 1000 ? a.error() : a.error().substring(0, 1000));
            ps.setLong(11, a.durationMillis());
            ps.setString(12, a.webhookId());
            ps.executeUpdate();
        }
        long cutoff;
        try (PreparedStatement ps = db.prepareStatement("SELECT ATTEMPTED_AT FROM #ENTRAPBX_WEBHOOK_LOG WHERE WEBHOOK_ID = ?"
                + " ORDER BY ATTEMPTED_AT DESC LIMIT 1 OFFSET ?")) {
            ps.setString(1, a.webhookId());
            ps.setInt(2, keep - 1);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return;
                }
                cutoff = rs.getLong(1);
            }
        }
        try (PreparedStatement ps = db.prepareStatement("DELETE FROM #ENTRAPBX_WEBHOOK_LOG WHERE WEBHOOK_ID = ? AND ATTEMPTED_AT < ?")) {
            ps.setString(1, a.webhookId());
            ps.setLong(2, cutoff);
            ps.executeUpdate();
        }
    }

    /** The newest attempts of a webhook first. */
    static List<Attempt> attempts(Jdbc db, String webhookId, int max) throws SQLException {
        List<Attempt> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT ID, WEBHOOK_ID, REALM_ID, ORG_ID, SEQ, MESSAGE_ID, ATTEMPT, ATTEMPTED_AT, STATUS, ERROR,"
                + " DURATION_MS FROM #ENTRAPBX_WEBHOOK_LOG WHERE WEBHOOK_ID = ? ORDER BY ATTEMPTED_AT DESC, SEQ DESC LIMIT ?")) {
            ps.setString(1, webhookId);
            ps.setInt(2, max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int status = rs.getInt(9);
                    Integer st = rs.wasNull() ? null : status;
                    out.add(new Attempt(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5), rs.getString(6),
                            rs.getInt(7), rs.getLong(8), st, rs.getString(10), rs.getLong(11)));
                }
            }
        }
        return out;
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, v);
        }
    }

    private static Long getLong(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }
}
