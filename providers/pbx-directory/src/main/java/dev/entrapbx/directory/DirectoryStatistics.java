package dev.entrapbx.directory;

import dev.entrapbx.kc.Db;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Keeps PostgreSQL's planner statistics of the directory's tables in step with a bulk import (the
 * sync's {@code PlannerStatistics} does the same for Keycloak's tables). Without them, a phone
 * system the statistics have not seen looks empty, and a page of the full read is planned as a
 * bitmap scan of the whole phone system and a sort (measured: 260 ms per page of 1,000 at 98,000
 * members) instead of an index range scan. Rule: after a commit, when a phone system has gained
 * as many entries since the last ANALYZE as it had then (at least 2,000), its tables are analyzed
 * in a transaction of their own. Only on PostgreSQL; a refused ANALYZE is left to autovacuum.
 */
final class DirectoryStatistics {

    private static final Logger LOG = Logger.getLogger(DirectoryStatistics.class);
    static final long MIN_GROWTH = 2000;
    static final String[] TABLES = {"ENTRAPBX_DIR_ENTRY", "ENTRAPBX_DIR_CHANGE", "ENTRAPBX_DIR_PHONE"};

    /** Per phone system: {entries added when last analyzed, entries added since}. */
    private static final Map<String, long[]> GROWTH = new ConcurrentHashMap<>();
    private static volatile Boolean postgres;
    private static volatile boolean refused;

    private DirectoryStatistics() {
    }

    /** Rule: grown since the last analyze by at least as much as before it, and by at least {@link #MIN_GROWTH}. */
    static boolean due(long atLastAnalyze, long since) {
        return since >= Math.max(MIN_GROWTH, atLastAnalyze);
    }

    /** Counts entries a committed transaction added; true when the tables should be analyzed now. */
    static boolean added(String organizationId, int entries) {
        if (entries == 0 || refused || Boolean.FALSE.equals(postgres)) {
            return false;
        }
        long[] g = GROWTH.computeIfAbsent(organizationId, k -> new long[2]);
        synchronized (g) {
            g[1] += entries;
            if (!due(g[0], g[1])) {
                return false;
            }
            g[0] += g[1];
            g[1] = 0;
            return true;
        }
    }

    /** ANALYZE of the directory's tables, in a transaction of its own. */
    static void analyze(KeycloakSessionFactory factory) {
        long t0 = System.nanoTime();
        try {
            KeycloakModelUtils.runJobInTransaction(factory, s -> Db.run(s, "PBX directory", db -> {
                if (postgres == null) {
                    String product = db.databaseProductName();
                    postgres = product != null && product.toLowerCase(Locale.ROOT).contains("postgresql");
                }
                if (postgres) {
                    for (String table : TABLES) {
                        db.prepareStatement("ANALYZE #" + table).execute();
                    }
                }
                return null;
            }));
            LOG.debugf("PBX directory: planner statistics refreshed (%s ms)", Long.valueOf((System.nanoTime() - t0) / 1_000_000));
        } catch (RuntimeException e) {
            refused = true;
            LOG.debugf(e, "PBX directory: ANALYZE was refused; planner statistics are left to autovacuum");
        }
    }
}
