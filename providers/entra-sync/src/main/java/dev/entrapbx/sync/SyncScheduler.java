package dev.entrapbx.sync;

import dev.entrapbx.sync.jpa.SyncStateEntity;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongUnaryOperator;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.storage.UserStorageProviderModel;
import org.keycloak.storage.user.SynchronizationResult;

/**
 * The periodic syncs of a server, staggered and capped. Keycloak keeps one timer task per
 * component and period on ONE timer thread, shared with its own housekeeping and ours (webhook
 * nudges, health gauges); after a start or an import all of a partner's components come due at the
 * same moment, and each run then blocks that thread for its whole length, one after the other, and
 * writes the component (its last sync time), which invalidates the realm in every node's cache.
 * The benchmark with 1,000 customers measured that (benchmarks/README.md, "A partner realm with
 * 1,000 customers").
 *
 * <p>So when Keycloak's schedule calls the sync, it only hands the run over here and returns at
 * once (as "ignored": Keycloak then writes nothing). Here each component's run starts at its own
 * offset within the period (from its id: the components of a realm spread over the period), at most
 * {@code concurrency} at a time per node, and a run first claims its period in the database (the
 * sync's state row): with several nodes, whose timers fire a few seconds apart, one node runs it.
 * Every run also holds the sync as every other run does ({@link RunLog#start}), so a scheduled run
 * never overlaps one started by hand. A run that finds the sync held (a full sync still running when
 * the changed sync comes due, a run started by hand) gives its period claim back and tries again a
 * little later, until shortly before the next tick, so a held sync delays its period's run rather
 * than losing it (a daily full sync would otherwise slip a whole day).
 */
public final class SyncScheduler implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SyncScheduler.class);
    /** The stagger uses this share of the period, so the last component still runs well inside it. */
    static final double SPREAD = 0.8;
    /** A held run is retried until this share of the period after the tick, so the next tick finds it done. */
    static final double RETRY_UNTIL = 0.95;

    /** Who runs a component's period: the sync's state row in the database, shared by the nodes. */
    interface PeriodClaims {
        /** Claims the period for this node: the claim's time, or null when a node claimed it less than half a period ago. */
        Long claim(UserStorageProviderModel model, EntraSync.Trigger trigger, int periodSeconds, long now);

        /** Gives a claim back (its run did not happen), so a retry, here or on another node, can claim the period again. */
        void release(UserStorageProviderModel model, EntraSync.Trigger trigger, int periodSeconds, long claimedAt);
    }

    private final ScheduledExecutorService delays;
    private final ThreadPoolExecutor workers;
    private final Set<String> waiting = ConcurrentHashMap.newKeySet();
    private final Clock clock;
    private final Function<KeycloakSessionFactory, PeriodClaims> claims;
    private final LongUnaryOperator retryDelayMillis;

    public SyncScheduler(int concurrency, Clock clock) {
        this(concurrency, clock, DatabaseClaims::new, SyncScheduler::retryDelayMillis);
    }

    SyncScheduler(int concurrency, Clock clock, Function<KeycloakSessionFactory, PeriodClaims> claims, LongUnaryOperator retryDelayMillis) {
        this.clock = clock;
        this.claims = claims;
        this.retryDelayMillis = retryDelayMillis;
        this.delays = new ScheduledThreadPoolExecutor(1, RunThreads.daemon("entra-pbx-sync-schedule-"));
        this.workers = new ThreadPoolExecutor(concurrency, concurrency, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                RunThreads.daemon("entra-pbx-sync-scheduled-"));
    }

    /** True when Keycloak's periodic schedule (its timer task for the component) is calling: the stack holds its task's {@code run}. */
    static boolean calledByKeycloaksSchedule() {
        return StackWalker.getInstance().walk(frames -> frames.anyMatch(f ->
                f.getClassName().equals(KEYCLOAK_SYNC_TASK) && f.getMethodName().equals("run")));
    }

    /** Keycloak's timer task of a component's periodic sync (Keycloak 26.7). */
    static final String KEYCLOAK_SYNC_TASK = "org.keycloak.storage.UserStorageSyncTask";

    /** Where in the period (ms from its start) this component's scheduled run goes: spread by its id. */
    static long offsetMillis(String componentId, int periodSeconds) {
        long span = (long) (periodSeconds * 1000L * SPREAD);
        return span <= 0 ? 0 : Math.floorMod((long) componentId.hashCode() * 2654435761L, span);
    }

    /** How long a run that found its sync held waits before it tries again: a twentieth of the period, 5 s to 1 min. */
    static long retryDelayMillis(long periodMillis) {
        return Math.max(5_000L, Math.min(60_000L, periodMillis / 20));
    }

    /**
     * Queues the scheduled {@code trigger} run of {@code model} (its period {@code periodSeconds}):
     * after the component's offset, on a free worker, if this node claims the period. A component
     * still waiting or running from the last tick is not queued twice. Returns what Keycloak gets.
     */
    public SynchronizationResult submit(KeycloakSessionFactory factory, UserStorageProviderModel model, EntraSync.Trigger trigger,
                                        int periodSeconds, Supplier<SynchronizationResult> run) {
        String key = model.getId() + "/" + trigger.id();
        if (periodSeconds <= 0 || !waiting.add(key)) {
            return SynchronizationResult.ignored();
        }
        long periodMillis = periodSeconds * 1000L;
        long deadline = clock.millis() + (long) (periodMillis * RETRY_UNTIL);
        PeriodClaims periods = claims.apply(factory);
        schedule(new Attempt(key, model, trigger, periodSeconds, run, periods, deadline), offsetMillis(model.getId(), periodSeconds));
        return SynchronizationResult.ignored();
    }

    private void schedule(Attempt attempt, long delay) {
        try {
            delays.schedule(() -> workers.execute(attempt), delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            waiting.remove(attempt.key);
        }
    }

    /** One try of a scheduled run: claim the period, run, and when the sync was held, give the claim back and try again later. */
    private final class Attempt implements Runnable {
        final String key;
        final UserStorageProviderModel model;
        final EntraSync.Trigger trigger;
        final int periodSeconds;
        final Supplier<SynchronizationResult> run;
        final PeriodClaims periods;
        final long deadline;

        Attempt(String key, UserStorageProviderModel model, EntraSync.Trigger trigger, int periodSeconds,
                Supplier<SynchronizationResult> run, PeriodClaims periods, long deadline) {
            this.key = key;
            this.model = model;
            this.trigger = trigger;
            this.periodSeconds = periodSeconds;
            this.run = run;
            this.periods = periods;
            this.deadline = deadline;
        }

        @Override
        public void run() {
            boolean again = false;
            try {
                Long claimed = periods.claim(model, trigger, periodSeconds, clock.millis());
                if (claimed == null) {
                    LOG.debugf("Scheduled %s sync of '%s': another node ran it in this period", trigger.id(), model.getName());
                    return;
                }
                SynchronizationResult result = run.get();
                if (result != null && result.isIgnored()) {
                    periods.release(model, trigger, periodSeconds, claimed);
                    long delay = retryDelayMillis.applyAsLong(periodSeconds * 1000L);
                    again = clock.millis() + delay < deadline;
                    LOG.debugf("Scheduled %s sync of '%s': the sync is held by another run; %s", trigger.id(), model.getName(),
                            again ? "trying again in " + delay + " ms" : "the next period runs it");
                    if (again) {
                        schedule(this, delay);
                    }
                }
            } catch (RuntimeException e) {
                LOG.errorf(e, "Scheduled %s sync of '%s' failed", trigger.id(), model.getName());
            } finally {
                if (!again) {
                    waiting.remove(key);
                }
            }
        }
    }

    /** The claims in the sync's state row: one conditional UPDATE each. */
    static final class DatabaseClaims implements PeriodClaims {
        private final KeycloakSessionFactory factory;

        DatabaseClaims(KeycloakSessionFactory factory) {
            this.factory = factory;
        }

        @Override
        public Long claim(UserStorageProviderModel model, EntraSync.Trigger trigger, int periodSeconds, long now) {
            try {
                boolean ours = KeycloakModelUtils.runJobInTransactionWithResult(factory, s -> {
                    EntityManager em = s.getProvider(JpaConnectionProvider.class).getEntityManager();
                    SyncStateEntity.ensureRow(em, model.getId(), model.getParentId());
                    return em.createNamedQuery(query("claim", trigger))
                            .setParameter("now", now).setParameter("before", now - periodSeconds * 500L)
                            .setParameter("component", model.getId()).executeUpdate() == 1;
                });
                return ours ? now : null;
            } catch (RuntimeException concurrentFirstClaim) {
                return null; // the other node created the state row at the same moment: it runs
            }
        }

        /** {@code EntraPbxSyncState.<verb>PeriodicFull} or {@code ...Changed}: the state row's column of that trigger. */
        private static String query(String verb, EntraSync.Trigger trigger) {
            return "EntraPbxSyncState." + verb + (trigger == EntraSync.Trigger.FULL ? "PeriodicFull" : "PeriodicChanged");
        }

        /** Moves the claim a period back: free to claim at once, and the console's "next run" reads "due". */
        @Override
        public void release(UserStorageProviderModel model, EntraSync.Trigger trigger, int periodSeconds, long claimedAt) {
            KeycloakModelUtils.runJobInTransaction(factory, s -> s.getProvider(JpaConnectionProvider.class).getEntityManager()
                    .createNamedQuery(query("release", trigger))
                    .setParameter("earlier", claimedAt - periodSeconds * 1000L).setParameter("claimed", claimedAt)
                    .setParameter("component", model.getId()).executeUpdate());
        }
    }

    @Override
    public void close() {
        delays.shutdownNow();
        workers.shutdownNow();
    }
}
