package dev.entrapbx.presence;

import dev.entrapbx.kc.Jdbc;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The cluster-wide schedule of a sync component's Graph jobs ({@code ENTRAPBX_GRAPH_JOB}): when each
 * is next due and which node holds it. A node runs a job only after claiming it with one conditional
 * UPDATE (due, and no live lease), so each run happens on exactly one node; a node that dies while
 * holding a job loses it when its lease runs out.
 */
final class GraphJobs {

    /** Polls presence (and the calendar) and sets the PBX's call states in Teams. */
    static final String POLL = "poll";
    /** Creates, renews and re-creates the user-change subscription. */
    static final String SUBSCRIPTION = "subscription";
    /** A changed sync asked for by change notifications (due = NEVER when none is pending). */
    static final String USER_CHANGES = "user-changes";

    static final long NEVER = Long.MAX_VALUE / 4;

    private GraphJobs() {
    }

    /** The job's row exists from now on (due at {@code firstAt}); a row another node made first is kept. */
    static void ensure(Jdbc db, String componentId, String job, long firstAt) throws SQLException {
        if (db.update("UPDATE #ENTRAPBX_GRAPH_JOB SET NEXT_AT = NEXT_AT WHERE COMPONENT_ID = ? AND JOB = ?", componentId, job) == 0) {
            db.update("INSERT INTO #ENTRAPBX_GRAPH_JOB (COMPONENT_ID, JOB, NEXT_AT) VALUES (?, ?, ?)", componentId, job, firstAt);
        }
    }

    /**
     * Claims the job for {@code owner} until {@code leaseUntil} when it is due and free, or its holder's
     * lease ran out (a node died during it); true when this call got it. Claiming consumes the due time
     * (it becomes {@link #NEVER}), so a {@link #dueBy} during the run makes it due again.
     */
    static boolean claim(Jdbc db, String componentId, String job, String owner, long now, long leaseUntil) throws SQLException {
        return db.update("UPDATE #ENTRAPBX_GRAPH_JOB SET LEASE_OWNER = ?, LEASE_UNTIL = ?, NEXT_AT = CASE WHEN LEASE_UNTIL IS NULL THEN ? ELSE NEXT_AT END"
                + " WHERE COMPONENT_ID = ? AND JOB = ? AND ((NEXT_AT <= ? AND LEASE_UNTIL IS NULL) OR LEASE_UNTIL < ?)",
                owner, leaseUntil, NEVER, componentId, job, now, now) == 1;
    }

    /** Done: next due at {@code nextAt} or earlier when asked for meanwhile, the lease given up, the last error kept (null: it worked). */
    static void finish(Jdbc db, String componentId, String job, String owner, long nextAt, String error) throws SQLException {
        db.update("UPDATE #ENTRAPBX_GRAPH_JOB SET NEXT_AT = CASE WHEN NEXT_AT > ? THEN ? ELSE NEXT_AT END, LEASE_OWNER = NULL, LEASE_UNTIL = NULL,"
                + " LAST_ERROR = ? WHERE COMPONENT_ID = ? AND JOB = ? AND LEASE_OWNER = ?", nextAt, nextAt,
                error == null ? null : error.length() > 2000 ? error.substring(0, 2000) : error, componentId, job, owner);
    }

    /** A job due now, or held by a lease that ran out. */
    record Due(String componentId, String job) {
    }

    /** The jobs to claim now: one query for all components. */
    static java.util.List<Due> due(Jdbc db, long now) throws SQLException {
        java.util.List<Due> out = new java.util.ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT COMPONENT_ID, JOB FROM #ENTRAPBX_GRAPH_JOB WHERE (NEXT_AT <= ? AND LEASE_UNTIL IS NULL)"
                + " OR LEASE_UNTIL < ?")) {
            ps.setLong(1, now);
            ps.setLong(2, now);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Due(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return out;
    }

    /** Every job row, as {@code componentId/job}. */
    static java.util.Set<String> keys(Jdbc db) throws SQLException {
        java.util.Set<String> out = new java.util.HashSet<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT COMPONENT_ID, JOB FROM #ENTRAPBX_GRAPH_JOB")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1) + "/" + rs.getString(2));
                }
            }
        }
        return out;
    }

    static void delete(Jdbc db, String componentId, String job) throws SQLException {
        db.update("DELETE FROM #ENTRAPBX_GRAPH_JOB WHERE COMPONENT_ID = ? AND JOB = ?", componentId, job);
    }

    /** Asks for the job at {@code at} at the latest (an earlier due time stays). */
    static void dueBy(Jdbc db, String componentId, String job, long at) throws SQLException {
        if (db.update("UPDATE #ENTRAPBX_GRAPH_JOB SET NEXT_AT = ? WHERE COMPONENT_ID = ? AND JOB = ? AND NEXT_AT > ?", at, componentId, job, at) == 0) {
            ensure(db, componentId, job, at);
        }
    }

    record State(long nextAt, String leaseOwner, long leaseUntil, String lastError) {
    }

    static Map<String, State> of(Jdbc db, String componentId) throws SQLException {
        Map<String, State> out = new HashMap<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT JOB, NEXT_AT, LEASE_OWNER, LEASE_UNTIL, LAST_ERROR FROM #ENTRAPBX_GRAPH_JOB"
                + " WHERE COMPONENT_ID = ?")) {
            ps.setString(1, componentId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new State(rs.getLong(2), rs.getString(3), rs.getLong(4), rs.getString(5)));
                }
            }
        }
        return out;
    }

    static void deleteComponent(Jdbc db, String componentId) throws SQLException {
        db.update("DELETE FROM #ENTRAPBX_GRAPH_JOB WHERE COMPONENT_ID = ?", componentId);
    }
}
