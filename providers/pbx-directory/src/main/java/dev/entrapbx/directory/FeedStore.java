package dev.entrapbx.directory;

import dev.entrapbx.kc.Jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The directory's three tables, in SQL that H2, PostgreSQL, MariaDB and the others Keycloak
 * supports all speak: the head (feed position) of each phone system, the published entry of each
 * member, and the feed rows.
 */
final class FeedStore {

    /** A phone system's feed position: the last sequence number given, and the last one purged (retention). */
    record Head(long seq, long purgedThrough, long seededAt) {
    }

    /** One feed row as stored; {@code data} is the change body (see {@link FeedWriter}). */
    record ChangeRow(long seq, String userId, String type, String data, long createdAt) {
    }

    /** One published entry as stored. */
    record EntryRow(String userId, String data) {
    }

    /** A published entry and the sequence of the change that wrote it (0: published when the feed started). */
    record StoredEntry(long seq, String data) {
    }

    private FeedStore() {
    }

    static Optional<Head> head(Jdbc db, String organizationId, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("SELECT SEQ, PURGED_THROUGH, SEEDED_AT FROM #ENTRAPBX_DIR_HEAD WHERE ORG_ID = ?"
                + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setString(1, organizationId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Head(rs.getLong(1), rs.getLong(2), rs.getLong(3))) : Optional.empty();
            }
        }
    }

    static void insertHead(Jdbc db, String realmId, String organizationId, long now) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO #ENTRAPBX_DIR_HEAD (ORG_ID, REALM_ID, SEQ, PURGED_THROUGH, SEEDED_AT)"
                + " VALUES (?, ?, 0, 0, ?)")) {
            ps.setString(1, organizationId);
            ps.setString(2, realmId);
            ps.setLong(3, now);
            ps.executeUpdate();
        }
    }

    static void advanceHead(Jdbc db, String organizationId, long seq) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("UPDATE #ENTRAPBX_DIR_HEAD SET SEQ = ? WHERE ORG_ID = ?")) {
            ps.setLong(1, seq);
            ps.setString(2, organizationId);
            ps.executeUpdate();
        }
    }

    /** The stored entries of these users, by user id. */
    static Map<String, StoredEntry> entries(Jdbc db, String organizationId, Collection<String> userIds) throws SQLException {
        Map<String, StoredEntry> out = new HashMap<>();
        List<String> ids = List.copyOf(userIds);
        for (int i = 0; i < ids.size(); i += EntryReader.CHUNK) {
            List<String> chunk = ids.subList(i, Math.min(ids.size(), i + EntryReader.CHUNK));
            try (PreparedStatement ps = db.prepareStatement("SELECT USER_ID, SEQ, DATA FROM #ENTRAPBX_DIR_ENTRY WHERE ORG_ID = ? AND USER_ID IN ("
                    + Jdbc.marks(chunk.size()) + ")")) {
                ps.setString(1, organizationId);
                Jdbc.bind(ps, 2, chunk);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), new StoredEntry(rs.getLong(2), rs.getString(3)));
                    }
                }
            }
        }
        return out;
    }

    /** The sequence numbers of these users' stored entries (users without one are absent). */
    static Map<String, Long> entrySeqs(Jdbc db, String organizationId, Collection<String> userIds) throws SQLException {
        Map<String, Long> out = new HashMap<>();
        List<String> ids = List.copyOf(userIds);
        for (int i = 0; i < ids.size(); i += EntryReader.CHUNK) {
            List<String> chunk = ids.subList(i, Math.min(ids.size(), i + EntryReader.CHUNK));
            try (PreparedStatement ps = db.prepareStatement("SELECT USER_ID, SEQ FROM #ENTRAPBX_DIR_ENTRY WHERE ORG_ID = ? AND USER_ID IN ("
                    + Jdbc.marks(chunk.size()) + ")")) {
                ps.setString(1, organizationId);
                Jdbc.bind(ps, 2, chunk);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getLong(2));
                    }
                }
            }
        }
        return out;
    }

    /** A page of entries in user id order, after {@code afterUserId} (null: from the start). */
    static List<EntryRow> entryPage(Jdbc db, String organizationId, String afterUserId, int limit) throws SQLException {
        List<EntryRow> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT USER_ID, DATA FROM #ENTRAPBX_DIR_ENTRY WHERE ORG_ID = ? AND USER_ID > ?"
                + " ORDER BY USER_ID LIMIT ?")) {
            ps.setString(1, organizationId);
            ps.setString(2, afterUserId == null ? "" : afterUserId);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new EntryRow(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return out;
    }

    static long count(Jdbc db, String organizationId) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("SELECT COUNT(*) FROM #ENTRAPBX_DIR_ENTRY WHERE ORG_ID = ?")) {
            ps.setString(1, organizationId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Inserts new entries, replaces changed ones, deletes those of users who are no longer members. */
    static void writeEntries(Jdbc db, String realmId, String organizationId, Map<String, String> inserts, Map<String, String> updates,
                             Map<String, Long> seqs, Collection<String> deletes) throws SQLException {
        if (!inserts.isEmpty()) {
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO #ENTRAPBX_DIR_ENTRY (ORG_ID, USER_ID, REALM_ID, SEQ, DATA) VALUES (?, ?, ?, ?, ?)")) {
                for (Map.Entry<String, String> e : inserts.entrySet()) {
                    ps.setString(1, organizationId);
                    ps.setString(2, e.getKey());
                    ps.setString(3, realmId);
                    ps.setLong(4, seqs.getOrDefault(e.getKey(), 0L));
                    ps.setString(5, e.getValue());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        if (!updates.isEmpty()) {
            try (PreparedStatement ps = db.prepareStatement("UPDATE #ENTRAPBX_DIR_ENTRY SET DATA = ?, SEQ = ? WHERE ORG_ID = ? AND USER_ID = ?")) {
                for (Map.Entry<String, String> e : updates.entrySet()) {
                    ps.setString(1, e.getValue());
                    ps.setLong(2, seqs.getOrDefault(e.getKey(), 0L));
                    ps.setString(3, organizationId);
                    ps.setString(4, e.getKey());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        if (!deletes.isEmpty()) {
            try (PreparedStatement ps = db.prepareStatement("DELETE FROM #ENTRAPBX_DIR_ENTRY WHERE ORG_ID = ? AND USER_ID = ?")) {
                for (String userId : deletes) {
                    ps.setString(1, organizationId);
                    ps.setString(2, userId);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    static void insertChanges(Jdbc db, String realmId, String organizationId, List<ChangeRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO #ENTRAPBX_DIR_CHANGE (ORG_ID, SEQ, REALM_ID, USER_ID, CHANGE_TYPE, FIELDS, DATA, CREATED_AT)"
                + " VALUES (?, ?, ?, ?, ?, NULL, ?, ?)")) {
            for (ChangeRow r : rows) {
                ps.setString(1, organizationId);
                ps.setLong(2, r.seq());
                ps.setString(3, realmId);
                ps.setString(4, r.userId());
                ps.setString(5, r.type());
                ps.setString(6, r.data());
                ps.setLong(7, r.createdAt());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Feed rows after {@code after}, in sequence order. */
    static List<ChangeRow> changes(Jdbc db, String organizationId, long after, int limit) throws SQLException {
        List<ChangeRow> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT SEQ, USER_ID, CHANGE_TYPE, DATA, CREATED_AT FROM #ENTRAPBX_DIR_CHANGE"
                + " WHERE ORG_ID = ? AND SEQ > ? ORDER BY SEQ LIMIT ?")) {
            ps.setString(1, organizationId);
            ps.setLong(2, after);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ChangeRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5)));
                }
            }
        }
        return out;
    }

    /**
     * Deletes the feed rows written before {@code cutoff} (epoch millis) and records the last
     * sequence number purged, so that a cursor before it is answered 410, never a shortened feed.
     * Returns the number of rows deleted.
     */
    static int purge(Jdbc db, String organizationId, long cutoff) throws SQLException {
        long through;
        try (PreparedStatement ps = db.prepareStatement("SELECT MAX(SEQ) FROM #ENTRAPBX_DIR_CHANGE WHERE ORG_ID = ? AND CREATED_AT < ?")) {
            ps.setString(1, organizationId);
            ps.setLong(2, cutoff);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                through = rs.getLong(1);
                if (rs.wasNull()) {
                    return 0;
                }
            }
        }
        // the head first: it is the row readers check, and its lock orders us after writers in progress
        try (PreparedStatement ps = db.prepareStatement("UPDATE #ENTRAPBX_DIR_HEAD SET PURGED_THROUGH = ? WHERE ORG_ID = ? AND PURGED_THROUGH < ?")) {
            ps.setLong(1, through);
            ps.setString(2, organizationId);
            ps.setLong(3, through);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = db.prepareStatement("DELETE FROM #ENTRAPBX_DIR_CHANGE WHERE ORG_ID = ? AND SEQ <= ?")) {
            ps.setString(1, organizationId);
            ps.setLong(2, through);
            return ps.executeUpdate();
        }
    }

    /** Phone systems (Organization ids) of a realm that have a feed. */
    static List<String> organizations(Jdbc db, String realmId) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT ORG_ID FROM #ENTRAPBX_DIR_HEAD WHERE REALM_ID = ? ORDER BY ORG_ID")) {
            ps.setString(1, realmId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** Organizations in which the user has a published entry (to follow a deleted user out of them). */
    static List<String> organizationsOf(Jdbc db, String userId) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT ORG_ID FROM #ENTRAPBX_DIR_ENTRY WHERE USER_ID = ?")) {
            ps.setString(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** Forgets a phone system (its Organization was removed) or a realm's phone systems. */
    static void delete(Jdbc db, String column, String value) throws SQLException {
        for (String table : List.of("ENTRAPBX_DIR_CHANGE", "ENTRAPBX_DIR_PHONE", "ENTRAPBX_DIR_ENTRY", "ENTRAPBX_DIR_HEAD")) {
            try (PreparedStatement ps = db.prepareStatement("DELETE FROM #" + table + " WHERE " + column + " = ?")) {
                ps.setString(1, value);
                ps.executeUpdate();
            }
        }
    }
}
