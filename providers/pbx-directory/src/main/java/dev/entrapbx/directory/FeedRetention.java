package dev.entrapbx.directory;

import dev.entrapbx.kc.Db;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.timer.ScheduledTask;

/**
 * How long the change feed keeps its rows (per realm, realm attribute {@value #ATTRIBUTE}, days,
 * default {@value #DEFAULT_DAYS}), and the task that removes older rows. It runs once per cluster
 * ({@code ClusterAwareScheduledTaskRunner}), every hour. A consumer whose cursor is older than what
 * is kept gets 410 (the head records the last sequence purged), never a feed with a hole.
 */
public final class FeedRetention implements ScheduledTask {

    public static final String ATTRIBUTE = "entrapbx.directory.retentionDays";
    public static final int DEFAULT_DAYS = 30;
    public static final int MAX_DAYS = 3650;
    public static final long INTERVAL_MILLIS = Duration.ofHours(1).toMillis();

    private static final Logger LOG = Logger.getLogger(FeedRetention.class);

    private final Clock clock;

    public FeedRetention(Clock clock) {
        this.clock = clock;
    }

    /** The realm's retention; a stored value that is not a valid number of days counts as the default (and is logged). */
    public static int days(RealmModel realm) {
        String raw = realm.getAttribute(ATTRIBUTE);
        if (raw == null || raw.isBlank()) {
            return DEFAULT_DAYS;
        }
        try {
            return parse(raw);
        } catch (IllegalArgumentException e) {
            LOG.warnf("Realm '%s': %s Using %d days.", realm.getName(), e.getMessage(), DEFAULT_DAYS);
            return DEFAULT_DAYS;
        }
    }

    /** Parses a retention in days; the message says what to fix. */
    public static int parse(String raw) {
        try {
            int d = Integer.parseInt(raw.trim());
            if (d >= 1 && d <= MAX_DAYS) {
                return d;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("The change feed's retention must be a whole number of days from 1 to " + MAX_DAYS + ", not '" + raw + "'.");
    }

    @Override
    public void run(KeycloakSession session) {
        long now = clock.millis();
        session.realms().getRealmsStream().toList().forEach(realm -> {
            long cutoff = now - Duration.ofDays(days(realm)).toMillis();
            int purged = purge(session, realm, null, cutoff);
            if (purged > 0) {
                LOG.infof("Realm '%s': removed %d change feed row(s) older than %d day(s)", realm.getName(), purged, days(realm));
            }
        });
    }

    /** Removes the feed rows written before {@code cutoff} in one phone system (null: all of the realm's); returns how many. */
    public static int purge(KeycloakSession session, RealmModel realm, String organizationId, long cutoff) {
        return Db.run(session, "PBX directory", db -> {
            List<String> orgs = organizationId != null ? List.of(organizationId) : FeedStore.organizations(db, realm.getId());
            int n = 0;
            for (String org : orgs) {
                if (FeedStore.head(db, org, true).isPresent()) { // locked: purges wait for a writer in progress
                    n += FeedStore.purge(db, org, cutoff);
                }
            }
            return n;
        });
    }
}
