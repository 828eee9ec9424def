package dev.entrapbx.sync;

import dev.entrapbx.sync.jpa.SyncRunEntity;
import dev.entrapbx.sync.jpa.SyncRunErrorEntity;
import dev.entrapbx.sync.jpa.SyncStateEntity;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.storage.user.SynchronizationResult;

/**
 * The record of one run: created RUNNING at the start (an earlier run still RUNNING was cut
 * off, by a crash or a restart, and becomes INTERRUPTED), counts and per-user problems written
 * after every page (own short transactions), the outcome at the end; only the newest runs of a
 * component are kept.
 */
public final class RunLog {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(RunLog.class);

    public enum Status { RUNNING, SUCCESS, PARTIAL, GUARDED, FAILED, INTERRUPTED }

    /** What a run is doing, in the order a run goes through them; stored with every checkpoint, so a running run shows it. */
    public enum Phase {
        CONNECTING, USERS, PHOTOS, REMOVALS, GROUPS, CONTACTS;

        /** The phase as the run log and admin REST show it (lower case). */
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Per-user problems stored per run; beyond this only counted. */
    static final int MAX_STORED_PROBLEMS = 1000;

    private final KeycloakSessionFactory factory;
    private final String realmId;
    private final String componentId;
    private final String id;
    private final Clock clock;
    private final List<SyncRunErrorEntity> unsaved = new ArrayList<>();
    private final AtomicInteger seq = new AtomicInteger();

    int added;
    /** Existing users the sync took over (they signed in with Microsoft before it ran), see {@link Adoption}. */
    int adopted;
    int updated;
    int disabled;
    int deleted;
    int failed;
    int skipped;
    /** Pages of users read from Graph so far. */
    int pages;
    String mode;
    private Phase phase;
    /** The Graph retries so far (the run's connection), read at every checkpoint. */
    private java.util.function.IntSupplier liveRetries;
    private final List<String> notes = new ArrayList<>();

    private RunLog(KeycloakSessionFactory factory, String realmId, String componentId, String id, Clock clock) {
        this.factory = factory;
        this.realmId = realmId;
        this.componentId = componentId;
        this.id = id;
        this.clock = clock;
    }

    /** See {@link #start(KeycloakSessionFactory, String, String, String, String, Clock)}; null when another run holds the component. */
    public static RunLog start(KeycloakSessionFactory factory, String realmId, String componentId, String trigger, Clock clock) {
        return start(factory, realmId, componentId, trigger, KeycloakModelUtils.generateId(), clock);
    }

    /**
     * A run with an id chosen beforehand (a run started in the background answers with its id at
     * once), or null when another live run holds the component: the claim is one conditional UPDATE
     * of the component's state row, so it holds across nodes and for every trigger (schedule,
     * console, admin REST, change notification). The claim is a lease this node renews every
     * {@link #RENEW_MILLIS} while the run lives; a dead node's lease ends after {@link #LEASE_MILLIS},
     * and the next run marks its RUNNING row INTERRUPTED.
     */
    public static RunLog start(KeycloakSessionFactory factory, String realmId, String componentId, String trigger, String id, Clock clock) {
        boolean claimed;
        try {
            claimed = KeycloakModelUtils.runJobInTransactionWithResult(factory, s -> {
                EntityManager em = s.getProvider(JpaConnectionProvider.class).getEntityManager();
                SyncStateEntity.ensureRow(em, componentId, realmId);
                long now = clock.millis();
                if (em.createNamedQuery("EntraPbxSyncState.claimRun").setParameter("run", id).setParameter("until", now + LEASE_MILLIS)
                        .setParameter("component", componentId).setParameter("now", now).executeUpdate() != 1) {
                    return false;
                }
                for (SyncRunEntity stale : em.createNamedQuery("EntraPbxSyncRun.running", SyncRunEntity.class)
                        .setParameter("component", componentId).getResultList()) {
                    stale.setStatus(Status.INTERRUPTED.name());
                    stale.setMessage(truncate(join(stale.getMessage(), "The run stopped before it ended (server stopped or crashed); "
                            + "the next run picked up from the last committed delta link."), 2000));
                }
                SyncRunEntity r = new SyncRunEntity();
                r.setId(id);
                r.setRealmId(realmId);
                r.setComponentId(componentId);
                r.setTrigger(trigger);
                r.setStatus(Status.RUNNING.name());
                r.setPhase(Phase.CONNECTING.id());
                r.setStartedAt(now);
                em.persist(r);
                return true;
            });
        } catch (RuntimeException concurrentFirstRun) {
            // two first runs of a new component created its state row at once: the other one runs
            return null;
        }
        if (!claimed) {
            return null;
        }
        RunLog log = new RunLog(factory, realmId, componentId, id, clock);
        log.lease = LEASES.scheduleWithFixedDelay(log::renewLease, RENEW_MILLIS, RENEW_MILLIS, TimeUnit.MILLISECONDS);
        return log;
    }

    /** How long a run's hold on its component lasts without renewal (its node died). */
    static final long LEASE_MILLIS = 60_000L;
    /** How often a live run renews it, whatever it is doing (a long Graph wait, a big contacts phase). */
    static final long RENEW_MILLIS = 15_000L;
    private static final ScheduledExecutorService LEASES = Executors.newSingleThreadScheduledExecutor(RunThreads.daemon("entra-pbx-sync-lease-"));

    private volatile ScheduledFuture<?> lease;
    /** Set when the renewal found the component held by another run: the next checkpoint stops this run. */
    private volatile boolean leaseLost;

    private void renewLease() {
        try {
            int n = KeycloakModelUtils.runJobInTransactionWithResult(factory, s -> s.getProvider(JpaConnectionProvider.class).getEntityManager()
                    .createNamedQuery("EntraPbxSyncState.renewRun").setParameter("until", clock.millis() + LEASE_MILLIS)
                    .setParameter("component", componentId).setParameter("run", id).executeUpdate());
            if (n != 1) {
                leaseLost = true;
            }
        } catch (RuntimeException e) {
            // the database is away for a moment: the next renewal tries again (the lease lasts four of them)
            LOG.warnf("Entra sync run %s: could not renew its hold on the component: %s", id, e.getMessage());
        }
    }

    /** The id of the component's run the run log shows RUNNING, or null. */
    static String runningRunId(KeycloakSessionFactory factory, String componentId) {
        return KeycloakModelUtils.runJobInTransactionWithResult(factory, s -> s.getProvider(JpaConnectionProvider.class).getEntityManager()
                .createNamedQuery("EntraPbxSyncRun.running", SyncRunEntity.class).setParameter("component", componentId)
                .getResultStream().map(SyncRunEntity::getId).findFirst().orElse(null));
    }

    public String id() {
        return id;
    }

    /** The run enters {@code next}: stored at once, so it shows while the run is in it. */
    public void phase(Phase next) {
        phase = next;
        checkpoint();
    }

    /** Where the Graph retries counted so far come from (the run's connection). */
    void retriesFrom(java.util.function.IntSupplier source) {
        liveRetries = source;
    }

    public void note(String note) {
        notes.add(note);
    }

    public void problem(boolean error, String oid, String username, String reason) {
        if (error) {
            failed++;
        }
        int n = seq.incrementAndGet();
        if (n > MAX_STORED_PROBLEMS) {
            return;
        }
        SyncRunErrorEntity e = new SyncRunErrorEntity();
        e.setId(KeycloakModelUtils.generateId());
        e.setRealmId(realmId);
        e.setRunId(id);
        e.setSeq(n);
        e.setSeverity(error ? "error" : "warning");
        e.setEntraOid(oid);
        e.setUsername(truncate(username, 255));
        e.setReason(truncate(reason, 1000));
        unsaved.add(e);
    }

    /** Writes counts and new problems, keeping the run RUNNING. */
    public void checkpoint() {
        if (leaseLost) {
            throw new IllegalStateException("another run took the component over (this run's hold on it lapsed); it stops here");
        }
        save(Status.RUNNING, -1);
    }

    public void finish(Status status, int keep) {
        ScheduledFuture<?> l = lease;
        if (l != null) {
            l.cancel(false);
        }
        save(status, keep);
    }

    private void save(Status status, int keep) {
        List<SyncRunErrorEntity> batch = new ArrayList<>(unsaved);
        unsaved.clear();
        KeycloakModelUtils.runJobInTransaction(factory, s -> {
            EntityManager em = s.getProvider(JpaConnectionProvider.class).getEntityManager();
            SyncRunEntity r = em.find(SyncRunEntity.class, id);
            if (r == null) {
                return;
            }
            batch.forEach(em::persist);
            r.setMode(mode);
            r.setAdded(added);
            r.setAdopted(adopted);
            r.setUpdated(updated);
            r.setDisabled(disabled);
            r.setDeleted(deleted);
            r.setFailed(failed);
            r.setSkipped(skipped);
            r.setRetries(liveRetries != null ? liveRetries.getAsInt() : 0);
            r.setPages(pages);
            if (phase != null) {
                r.setPhase(phase.id());
            }
            r.setMessage(truncate(String.join(" ", notes), 2000));
            if (status != Status.RUNNING) {
                r.setStatus(status.name());
                r.setEndedAt(clock.millis());
                SyncStateEntity st = SyncStateEntity.findOrCreate(em, componentId, realmId);
                st.setFailedInARow(status == Status.FAILED ? st.getFailedInARow() + 1 : 0);
                em.flush();
                em.createNamedQuery("EntraPbxSyncState.releaseRun").setParameter("component", componentId).setParameter("run", id).executeUpdate();
            }
            if (keep > 0) {
                prune(em, keep);
            }
        });
    }

    private void prune(EntityManager em, int keep) {
        List<String> old = em.createNamedQuery("EntraPbxSyncRun.byComponent", SyncRunEntity.class)
                .setParameter("component", componentId).setFirstResult(keep).setMaxResults(10_000)
                .getResultList().stream().map(SyncRunEntity::getId).toList();
        if (!old.isEmpty()) {
            em.createNamedQuery("EntraPbxSyncError.deleteByRuns").setParameter("runs", old).executeUpdate();
            for (String o : old) {
                SyncRunEntity e = em.find(SyncRunEntity.class, o);
                if (e != null) {
                    em.remove(e);
                }
            }
        }
    }

    public SynchronizationResult result() {
        SynchronizationResult r = new SynchronizationResult();
        r.setAdded(added);
        r.setUpdated(updated + adopted);
        r.setRemoved(disabled + deleted);
        r.setFailed(failed);
        return r;
    }

    /** An exception as the run log tells it: its message and its causes' (each once), at most about 400 characters. */
    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        Set<String> seen = new HashSet<>();
        for (Throwable c = e; c != null && sb.length() < 400; c = c.getCause() == c ? null : c.getCause()) {
            String m = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
            if (seen.add(m)) {
                if (!sb.isEmpty()) {
                    sb.append(": ");
                }
                sb.append(m);
            }
        }
        return sb.toString();
    }

    private static String join(String a, String b) {
        return a == null || a.isBlank() ? b : a + " " + b;
    }

    static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
