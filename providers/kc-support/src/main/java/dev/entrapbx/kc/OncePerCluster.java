package dev.entrapbx.kc;

import java.time.Clock;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.services.scheduled.ClusterAwareScheduledTaskRunner;
import org.keycloak.storage.configuration.ServerConfigStorageProvider;
import org.keycloak.timer.ScheduledTask;
import org.keycloak.timer.TimerProvider;

/**
 * A periodic task that runs on one node per period in a cluster. Every node schedules it;
 * Keycloak's {@link ClusterAwareScheduledTaskRunner} only keeps two nodes from running it at the
 * same moment (its lock is gone once a run ends), so a node whose timer fires a few seconds after
 * another's ran it again: the cluster test saw the credential check twice per period with two
 * nodes. Here a run first claims the period in Keycloak's server configuration table (key
 * {@code entrapbx.task.<name>}, the last run's start; the row's version makes two claims of one
 * period conflict, and the loser does not run).
 */
public final class OncePerCluster implements ScheduledTask {

    private static final Logger LOG = Logger.getLogger(OncePerCluster.class);

    private final KeycloakSessionFactory factory;
    private final ScheduledTask task;
    private final long intervalMillis;
    private final Clock clock;

    OncePerCluster(KeycloakSessionFactory factory, ScheduledTask task, long intervalMillis, Clock clock) {
        this.factory = factory;
        this.task = task;
        this.intervalMillis = intervalMillis;
        this.clock = clock;
    }

    /**
     * {@link #schedule} once the server has started (its database migrated): for a factory's
     * {@code postInit}, where the tables a task reads may not exist yet.
     */
    public static void scheduleOnceStarted(KeycloakSessionFactory factory, ScheduledTask task, long firstDelayMillis, long intervalMillis) {
        factory.register(event -> {
            if (event instanceof PostMigrationEvent) {
                schedule(factory, task, firstDelayMillis, intervalMillis);
            }
        });
    }

    /** Schedules {@code task} on this node: first after {@code firstDelayMillis}, then every {@code intervalMillis}, once per cluster. */
    public static void schedule(KeycloakSessionFactory factory, ScheduledTask task, long firstDelayMillis, long intervalMillis) {
        OncePerCluster once = new OncePerCluster(factory, task, intervalMillis, Clock.systemUTC());
        KeycloakModelUtils.runJobInTransaction(factory, session -> session.getProvider(TimerProvider.class).schedule(
                new ClusterAwareScheduledTaskRunner(factory, once, intervalMillis), firstDelayMillis, intervalMillis));
    }

    @Override
    public void run(KeycloakSession session) {
        if (claim()) {
            task.run(session);
        } else {
            LOG.debugf("%s: another node ran it in this period", task.getTaskName());
        }
    }

    /** Claims this period for this node; false when another node's run is less than 80% of an interval ago (or claimed it just now). */
    boolean claim() {
        String key = "entrapbx.task." + task.getTaskName();
        long now = clock.millis();
        try {
            return KeycloakModelUtils.runJobInTransactionWithResult(factory, s -> {
                ServerConfigStorageProvider config = s.getProvider(ServerConfigStorageProvider.class);
                config.loadOrCreate(key, "0");
                return config.replace(key, last -> lastRun(last) + intervalMillis * 4 / 5 <= now, () -> String.valueOf(now));
            });
        } catch (RuntimeException concurrentClaim) {
            // the other node's claim of the same row committed first (version or key conflict)
            LOG.debugf("%s: lost the claim of this period (%s)", task.getTaskName(), concurrentClaim.getClass().getSimpleName());
            return false;
        }
    }

    private static long lastRun(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0L;
        }
    }

    @Override
    public String getTaskName() {
        return task.getTaskName();
    }
}
