package dev.entrapbx.sync;

import dev.entrapbx.sync.jpa.SyncStateEntity;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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
 * never overlaps one started by hand.
 */
public final class SyncScheduler implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SyncScheduler.class);
    /** The stagger uses this share of the period, so the last component still runs well inside it. */
    static final double SPREAD = 0.8;

    private final ScheduledExecutorService delays;
    private final ThreadPoolExecutor workers;
    private final Set<String> waiting = ConcurrentHashMap.newKeySet();
    private final Clock clock;

    public SyncScheduler(int concurrency, Clock clock) {
        this.clock = clock;
        this.delays = new ScheduledThreadPoolExecutor(1, RunThreads.daemon("entra-pbx-sync-schedule-"));
        this.workers = new ThreadPoolExecutor(concurrency, concurrency, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                RunThreads.daemon("entra-pbx-sync-scheduled-"));
    }

    /** True when Keycloak's periodic schedule (its timer task for the component) is calling: the stack holds its task's {@code run}. */
    static boolean calledByKeycloaksSchedule() {
        return StackWalker.getInstance().walk(frames -> frames.anyMatch(f ->
                f.getClassName().equals("org.keycloak.storage.UserStorageSyncTask") && f.getMethodName().equals("run")));
    }

    /** Where in the period (ms from its start) this component's scheduled run goes: spread by its id. */
    static long offsetMillis(String componentId, int periodSeconds) {
        long span = (long) (periodSeconds * 1000L * SPREAD);
        return span <= 0 ? 0 : Math.floorMod((long) componentId.hashCode() * 2654435761L, span);
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
        long delay = offsetMillis(model.getId(), periodSeconds);
        delays.schedule(() -> workers.execute(() -> {
            try {
                if (claimPeriod(factory, model, trigger, periodSeconds)) {
                    run.get();
                } else {
                    LOG.debugf("Scheduled %s sync of '%s': another node ran it in this period", trigger.id(), model.getName());
                }
            } catch (RuntimeException e) {
                LOG.errorf(e, "Scheduled %s sync of '%s' failed", trigger.id(), model.getName());
            } finally {
                waiting.remove(key);
            }
        }), delay, TimeUnit.MILLISECONDS);
        return SynchronizationResult.ignored();
    }

    /** One conditional UPDATE of the sync's state row: the period is ours unless a node started it less than half a period ago. */
    boolean claimPeriod(KeycloakSessionFactory factory, UserStorageProviderModel model, EntraSync.Trigger trigger, int periodSeconds) {
        long now = clock.millis();
        try {
            return KeycloakModelUtils.runJobInTransactionWithResult(factory, s -> {
                EntityManager em = s.getProvider(JpaConnectionProvider.class).getEntityManager();
                SyncStateEntity.ensureRow(em, model.getId(), model.getParentId());
                return em.createNamedQuery(trigger == EntraSync.Trigger.FULL ? "EntraPbxSyncState.claimPeriodicFull"
                                : "EntraPbxSyncState.claimPeriodicChanged")
                        .setParameter("now", now).setParameter("before", now - periodSeconds * 500L)
                        .setParameter("component", model.getId()).executeUpdate() == 1;
            });
        } catch (RuntimeException concurrentFirstClaim) {
            return false; // the other node created the state row at the same moment: it runs
        }
    }

    @Override
    public void close() {
        delays.shutdownNow();
        workers.shutdownNow();
    }
}
