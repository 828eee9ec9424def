package dev.entrapbx.sync;

import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Locale;
import org.hibernate.Session;
import org.jboss.logging.Logger;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.connections.jpa.util.JpaUtils;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Keeps PostgreSQL's planner statistics in step with a bulk import, as a bulk loader should
 * (PostgreSQL's own advice after loading: run ANALYZE).
 *
 * <p>Why: the sync's per-slice lookups ("which of these 250 object ids, usernames, emails exist")
 * are index probes only when the planner knows how big the tables are. An import that grows a
 * realm from nothing to 100,000 users outruns autovacuum's ANALYZE (it waits for 10% of changes and
 * a free worker; on some installations it is off), and a realm or organization that did not exist
 * when the statistics were taken looks almost empty: measured on PostgreSQL 15, the planner then
 * probes the index by realm (or organization) only and filters the 250 values row by row, so
 * every lookup reads all of the realm's users so far (40–90 ms each at 20,000 users, growing), and
 * the final reconcile joined user by user (21 s at 20,000).
 *
 * <p>What: the tables the sync reads are analyzed each time the run has doubled the users it
 * added (at 2,000, 4,000, 8,000 ... new users), and once more before the reconcile. The rule
 * follows the run's own growth, not the table's size: what misleads the planner is the new realm's
 * or organization's rows that the statistics have not seen, however big the table already is.
 * ANALYZE takes a lock that blocks neither reads nor writes. Only on PostgreSQL; where it is refused (the database user does not
 * own the tables) the run says nothing and goes on, as before.
 */
final class PlannerStatistics {

    private static final Logger LOG = Logger.getLogger(PlannerStatistics.class);

    /** The tables whose lookups the sync makes per slice and per run. */
    static final List<String> TABLES = List.of("USER_ENTITY", "USER_ATTRIBUTE", "FEDERATED_IDENTITY", "ENTRAPBX_EXTENSION");
    /**
     * The contacts stage's tables: its per-page lookups ("which of these contact ids exist") and the
     * change feed's read-back of the contacts it records are prepared statements whose plan,
     * made while the tables were small, is a full scan until statistics say otherwise (measured: 54 ms
     * instead of 0.08 ms per call at 100,000 contacts, a first sync of 200,000 contacts mostly that).
     */
    static final List<String> CONTACT_TABLES = List.of("ENTRAPBX_CONTACT", "ENTRAPBX_CONTACT_PHONE", "ENTRAPBX_CONTACT_FOLDER");

    /** Below this many new users, nothing is analyzed: stale statistics cost little on small tables. */
    static final long MIN_GROWTH = 2000;

    private final KeycloakSessionFactory factory;
    private final boolean postgres;
    private final List<String> tables;
    /** Users this run had added at its last analyze. */
    private long addedAtLastAnalyze;
    private boolean refused;

    private PlannerStatistics(KeycloakSessionFactory factory, boolean postgres, List<String> tables) {
        this.factory = factory;
        this.postgres = postgres;
        this.tables = tables;
    }

    /** For the users' tables ({@link #TABLES}); reads which database this is. */
    static PlannerStatistics start(KeycloakSessionFactory factory) {
        return start(factory, TABLES);
    }

    /** For these tables; "users added" then counts whatever the stage adds to them (contacts: {@link #CONTACT_TABLES}). */
    static PlannerStatistics start(KeycloakSessionFactory factory, List<String> tables) {
        return KeycloakModelUtils.runJobInTransactionWithResult(factory, s -> {
            EntityManager em = s.getProvider(JpaConnectionProvider.class).getEntityManager();
            String product = em.unwrap(Session.class).doReturningWork(c -> c.getMetaData().getDatabaseProductName());
            return new PlannerStatistics(factory, product != null && product.toLowerCase(Locale.ROOT).contains("postgresql"), tables);
        });
    }

    /** Rule: the run added, since its last analyze, at least as many users as before it (and at least {@link #MIN_GROWTH}). */
    static boolean due(long addedAtLastAnalyze, long addedSince) {
        return addedSince >= Math.max(MIN_GROWTH, addedAtLastAnalyze);
    }

    /** After a slice: {@code added} = users this run created so far. */
    void afterSlice(long added) {
        if (postgres && !refused && due(addedAtLastAnalyze, added - addedAtLastAnalyze)) {
            analyze(added);
        }
    }

    /** Before the reconcile reads the whole component: fresh statistics if the run added many users since. */
    void beforeReconcile(long added) {
        if (postgres && !refused && added - addedAtLastAnalyze >= MIN_GROWTH) {
            analyze(added);
        }
    }

    private void analyze(long added) {
        long t0 = System.nanoTime();
        try {
            KeycloakModelUtils.runJobInTransaction(factory, s -> {
                EntityManager em = s.getProvider(JpaConnectionProvider.class).getEntityManager();
                for (String table : tables) {
                    em.createNativeQuery("ANALYZE " + JpaUtils.getTableNameForNativeQuery(table, em)).executeUpdate();
                }
            });
            LOG.debugf("planner statistics of %s refreshed after %d new rows (%d ms)", tables, added, (System.nanoTime() - t0) / 1_000_000);
        } catch (RuntimeException e) {
            refused = true;
            LOG.debugf(e, "ANALYZE was refused; planner statistics are left to autovacuum");
        }
        addedAtLastAnalyze = added;
    }
}
