package dev.entrapbx.presence;

import dev.entrapbx.kc.Db;
import dev.entrapbx.sync.EntraSyncConfig;
import dev.entrapbx.sync.EntraUserStorageProviderFactory;
import dev.entrapbx.sync.PhoneSystemSync;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.storage.UserStorageProviderModel;

/**
 * This node's share of the Graph jobs of every sync component with presence, PBX calls in Teams or
 * user-change notifications on. A tick ({@link Options#tickMillis}) reads which jobs are due in the
 * whole cluster ({@link GraphJobs#due}, one query), claims each with a conditional UPDATE and runs
 * the ones it got on its workers, so every poll, renewal and notification-started sync runs on exactly
 * one node. Every {@value #SWEEP_MILLIS} ms it also brings the job rows in line with the components'
 * settings. PBX call states are pushed to Teams right after the request that set them, on this node.
 */
public final class PresenceService implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PresenceService.class);
    static final long SWEEP_MILLIS = 10_000;

    /** Server options ({@code --spi-realm-restapi-extension--entra-notifications--*}). */
    public record Options(long tickMillis, Duration subscriptionCheck, int workers, int pushers, Duration pushRetry) {
        /** A PBX call state Graph refused (after the retry layer's own retries) is given to Graph again 2 minutes later. */
        public static final Options DEFAULTS = new Options(1000, Duration.ofMinutes(5), 8, 8, Duration.ofMinutes(2));
    }

    private final KeycloakSessionFactory sessions;
    private final Options options;
    private final Clock clock;
    private final String owner;
    private final ScheduledExecutorService ticker;
    private final ThreadPoolExecutor workers;
    private final ThreadPoolExecutor pushers;
    /** Jobs this node runs now (component + job), so a tick does not claim one twice. */
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    /** Members whose push runs on this node, and whether another was asked for meanwhile. */
    private final Map<String, AtomicBoolean> pushing = new ConcurrentHashMap<>();
    private volatile long lastSweep;

    PresenceService(KeycloakSessionFactory sessions, Options options, Clock clock) {
        this.sessions = sessions;
        this.options = options;
        this.clock = clock;
        this.owner = nodeName() + "/" + UUID.randomUUID().toString().substring(0, 8);
        this.ticker = Executors.newSingleThreadScheduledExecutor(named("entra-pbx-presence-tick"));
        this.workers = new ThreadPoolExecutor(options.workers(), options.workers(), 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                named("entra-pbx-presence"));
        this.pushers = new ThreadPoolExecutor(options.pushers(), options.pushers(), 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), named("entra-pbx-presence-push"));
    }

    void start() {
        ticker.scheduleWithFixedDelay(this::tick, options.tickMillis(), options.tickMillis(), TimeUnit.MILLISECONDS);
        LOG.infof("Presence and change notifications: node %s, tick %d ms, %d workers, %d pushers", owner, options.tickMillis(),
                options.workers(), options.pushers());
    }

    /** Runs a tick now (a notification arrived: its sync should not wait for the next one). */
    void wake() {
        ticker.execute(this::tick);
    }

    private void tick() {
        try {
            long now = clock.millis();
            if (now - lastSweep >= SWEEP_MILLIS) {
                lastSweep = now;
                sweep(now);
            }
            List<GraphJobs.Due> due = KeycloakModelUtils.runJobInTransactionWithResult(sessions, s -> Db.run(s, "Graph jobs",
                    db -> GraphJobs.due(db, now)));
            for (GraphJobs.Due d : due) {
                String key = d.componentId() + "/" + d.job();
                if (running.contains(key)) {
                    continue;
                }
                long lease = now + lease(d.job()).toMillis();
                boolean mine = KeycloakModelUtils.runJobInTransactionWithResult(sessions, s -> Db.run(s, "Graph jobs",
                        db -> GraphJobs.claim(db, d.componentId(), d.job(), owner, now, lease)));
                if (mine && running.add(key)) {
                    workers.execute(() -> runJob(d, key));
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "Presence tick failed");
        }
    }

    private static Duration lease(String job) {
        return GraphJobs.USER_CHANGES.equals(job) ? Duration.ofMinutes(30) : Duration.ofMinutes(2);
    }

    /**
     * Job rows for the components whose settings need them, none for the others; the rows and stored
     * subscriptions of removed components dropped (Graph ends such a subscription when it expires).
     */
    private void sweep(long now) {
        KeycloakModelUtils.runJobInTransaction(sessions, s -> {
            Set<String> live = new HashSet<>();
            Set<String> wanted = new HashSet<>();
            s.realms().getRealmsStream().forEach(realm -> PhoneSystemSync.components(realm).forEach(c -> {
                live.add(c.getId());
                EntraSyncConfig config = new EntraSyncConfig(c);
                if (config.presence() || config.presenceFromPbx()) {
                    wanted.add(c.getId() + "/" + GraphJobs.POLL);
                }
                if (config.userChangeNotifications()) {
                    wanted.add(c.getId() + "/" + GraphJobs.SUBSCRIPTION);
                    wanted.add(c.getId() + "/" + GraphJobs.USER_CHANGES);
                }
            }));
            Db.run(s, "Graph jobs", db -> {
                List<UserChanges.Stored> subscriptions = UserChanges.all(db);
                for (UserChanges.Stored sub : subscriptions) {
                    if (live.contains(sub.componentId())) {
                        wanted.add(sub.componentId() + "/" + GraphJobs.SUBSCRIPTION); // switched off: the job deletes it at Graph
                    } else {
                        LOG.infof("User-change subscription %s belonged to a removed sync: forgotten (Graph ends it by %s)", sub.id(),
                                java.time.Instant.ofEpochMilli(sub.expiresAt()));
                        UserChanges.delete(db, sub.id());
                    }
                }
                Set<String> known = GraphJobs.keys(db);
                for (String key : wanted) {
                    if (!known.contains(key)) {
                        String[] k = key.split("/", 2);
                        GraphJobs.ensure(db, k[0], k[1], GraphJobs.USER_CHANGES.equals(k[1]) ? GraphJobs.NEVER : now);
                    }
                }
                for (String key : known) {
                    if (!wanted.contains(key)) {
                        String[] k = key.split("/", 2);
                        GraphJobs.delete(db, k[0], k[1]);
                    }
                }
                return null;
            });
        });
    }

    private void runJob(GraphJobs.Due d, String key) {
        long claimed = clock.millis();
        String error = null;
        long next = GraphJobs.NEVER;
        try {
            Found f = component(d.componentId());
            if (f == null) {
                return; // removed: the sweep drops its rows
            }
            EntraSyncConfig config = new EntraSyncConfig(f.model());
            switch (d.job()) {
                case GraphJobs.POLL -> {
                    next = claimed + config.presenceIntervalSeconds() * 1000L;
                    if (config.presence()) {
                        PresencePoll.Result r = new PresencePoll(sessions, f.realmId(), f.model(), clock).run();
                        LOG.debugf("Presence of sync '%s': %d user(s), %d changed, %d Graph call(s)", f.model().getName(), r.users(), r.changed(),
                                r.graphCalls());
                        error = r.error();
                    }
                    if (config.presenceFromPbx()) {
                        pushesDue(f, config);
                    }
                }
                case GraphJobs.SUBSCRIPTION -> {
                    next = claimed + options.subscriptionCheck().toMillis();
                    UserChanges.Outcome o = UserChanges.maintain(sessions, f.realmId(), f.model(), clock);
                    error = o.error();
                    if (o.error() != null) {
                        next = claimed + Math.min(options.subscriptionCheck().toMillis(), 60_000);
                    }
                    if (o.gap()) {
                        syncSoon(d.componentId(), 0);
                    }
                }
                case GraphJobs.USER_CHANGES -> {
                    if (!changedSync(f)) {
                        next = clock.millis() + 5_000; // a sync of this component is running: once it ends, the changes may still be new
                    }
                }
                default -> LOG.warnf("Unknown Graph job %s", d.job());
            }
        } catch (RuntimeException e) {
            error = e.getMessage() == null ? e.toString() : e.getMessage();
            LOG.warnf(e, "Graph job %s of component %s failed", d.job(), d.componentId());
            if (next == GraphJobs.NEVER && !GraphJobs.USER_CHANGES.equals(d.job())) {
                next = claimed + 60_000;
            }
        } finally {
            String err = error;
            long n = next;
            try {
                KeycloakModelUtils.runJobInTransaction(sessions, s -> Db.run(s, "Graph jobs", db -> {
                    GraphJobs.finish(db, d.componentId(), d.job(), owner, n, err);
                    return null;
                }));
            } finally {
                running.remove(key);
            }
        }
    }

    private record Found(String realmId, ComponentModel model) {
    }

    private Found component(String componentId) {
        return KeycloakModelUtils.runJobInTransactionWithResult(sessions, s -> s.realms().getRealmsStream()
                .map(r -> {
                    ComponentModel c = r.getComponent(componentId);
                    return c == null ? null : new Found(r.getId(), c);
                }).filter(java.util.Objects::nonNull).findFirst().orElse(null));
    }

    /** The component's changed sync; false when another run of it is in progress (it holds the component, see {@code RunLog#start}). */
    private boolean changedSync(Found f) {
        EntraUserStorageProviderFactory factory = PhoneSystemSync.factory(sessions);
        UserStorageProviderModel model = new UserStorageProviderModel(f.model());
        LOG.debugf("Changed sync of '%s' (realm %s) started by Entra change notifications", model.getName(), f.realmId());
        return !factory.syncSince(null, sessions, f.realmId(), model).isIgnored();
    }

    private void pushesDue(Found f, EntraSyncConfig config) {
        String orgId = KeycloakModelUtils.runJobInTransactionWithResult(sessions, s -> {
            RealmModel realm = s.realms().getRealm(f.realmId());
            s.getContext().setRealm(realm);
            return dev.entrapbx.sync.SyncTarget.organization(s, realm, config).getId();
        });
        long refreshBefore = clock.millis() - config.presenceFromPbxMinutes() * 30_000L; // half the hold
        List<String> users = KeycloakModelUtils.runJobInTransactionWithResult(sessions, s -> Db.run(s, "PBX call state",
                db -> PresenceStore.pushesDue(db, orgId, refreshBefore, clock.millis() - options.pushRetry().toMillis())));
        users.forEach(u -> pushSoon(f.realmId(), orgId, u));
    }

    /** The component's changed sync is due {@code delayMillis} from now (an earlier due time stays). */
    void syncSoon(String componentId, long delayMillis) {
        long at = clock.millis() + delayMillis;
        KeycloakModelUtils.runJobInTransaction(sessions, s -> Db.run(s, "Graph jobs", db -> {
            GraphJobs.dueBy(db, componentId, GraphJobs.USER_CHANGES, at);
            return null;
        }));
        if (delayMillis <= 0) {
            wake();
        } else {
            ticker.schedule(this::tick, delayMillis + 50, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Gives Teams the member's latest PBX call state soon, on this node: one push per member at a
     * time; one asked for while it runs makes it look again when done.
     */
    public void pushSoon(String realmId, String orgId, String userId) {
        String key = orgId + "/" + userId;
        AtomicBoolean again = new AtomicBoolean(false);
        AtomicBoolean existing = pushing.putIfAbsent(key, again);
        if (existing != null) {
            existing.set(true);
            return;
        }
        pushers.execute(() -> {
            try {
                do {
                    again.set(false);
                    PbxCalls.push(sessions, realmId, orgId, userId, clock, options.pushRetry());
                } while (again.get());
            } catch (RuntimeException e) {
                LOG.warnf(e, "PBX call state of user %s (phone system %s) not pushed", userId, orgId);
            } finally {
                pushing.remove(key);
                if (again.get()) {
                    pushSoon(realmId, orgId, userId);
                }
            }
        });
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        workers.shutdownNow();
        pushers.shutdownNow();
    }

    private static String nodeName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "node";
        }
    }

    private static ThreadFactory named(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
