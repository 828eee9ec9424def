package dev.entrapbx.directory.webhook;

import dev.entrapbx.kc.Jdbc;

import dev.entrapbx.directory.ChangeFeed;
import dev.entrapbx.kc.Meters;
import dev.entrapbx.kc.SystemAdminEvents;
import java.net.URI;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.organization.OrganizationProvider;

/**
 * Delivers the feed to the webhooks, on every node. A tick (every {@value WebhookOptions#POLL_MILLIS}
 * ms, and right after a feed transaction commits on this node) gives realm-wide webhooks their
 * positions in new feeds, finds due positions, and claims each with one conditional UPDATE (its
 * lease free or expired); a position another node holds is skipped. A claimed position is
 * delivered by a worker, one feed row at a time in sequence order: a 2xx moves the position on
 * (in the database, before the next row is read), anything else schedules a retry with backoff
 * and gives the lease up. So pending deliveries outlive a restart, a row is never skipped, and a
 * crash between an answer and its commit re-sends at most that one row, with the same webhook-id.
 */
final class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);
    static final String RESOURCE_TYPE = "PBX_WEBHOOK";

    private final KeycloakSessionFactory factory;
    private final WebhookOptions options;
    private final TargetCheck targets;
    private final Sender sender;
    private final Clock clock;
    private final RandomGenerator random;
    private final String owner;
    private final ThreadPoolExecutor workers;
    private final ExecutorService ticker;
    private final AtomicInteger busy = new AtomicInteger();
    private final AtomicBoolean ticking = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private final AtomicBoolean nudgeQueued = new AtomicBoolean();
    private volatile boolean stopped;

    Dispatcher(KeycloakSessionFactory factory, WebhookOptions options, TargetCheck targets, Sender sender, Clock clock, RandomGenerator random,
               String node) {
        this.factory = factory;
        this.options = options;
        this.targets = targets;
        this.sender = sender;
        this.clock = clock;
        this.random = random;
        this.owner = (node.length() > 200 ? node.substring(0, 200) : node) + "/" + UUID.randomUUID().toString().substring(0, 8);
        this.workers = new ThreadPoolExecutor(options.workers(), options.workers(), 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                named("entra-pbx-webhook"));
        this.ticker = Executors.newSingleThreadExecutor(named("entra-pbx-webhook-tick"));
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Looks for due deliveries soon, on another thread (after a feed commit: the change goes out without waiting for the timer). */
    void nudge() {
        if (stopped || !nudgeQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            ticker.execute(() -> {
                nudgeQueued.set(false);
                tick();
            });
        } catch (RejectedExecutionException e) {
            nudgeQueued.set(false);
        }
    }

    /** One round: positions for new feeds, then claims for as many due positions as there are idle workers. */
    void tick() {
        if (stopped) {
            return;
        }
        if (!ticking.compareAndSet(false, true)) {
            again.set(true);
            return;
        }
        try {
            do {
                again.set(false);
                round();
            } while (again.get() && !stopped);
        } catch (RuntimeException e) {
            LOG.warnf(e, "PBX webhooks: looking for due deliveries failed; trying again in %d ms", WebhookOptions.POLL_MILLIS);
        } finally {
            ticking.set(false);
        }
    }

    private void round() {
        addMissingPositions();
        int idle = options.workers() - busy.get();
        if (idle <= 0) {
            return;
        }
        long now = clock.millis();
        List<WebhookStore.Key> due = tx(s -> ChangeFeed.run(s, db -> WebhookStore.due(db, now, idle * 2)));
        for (WebhookStore.Key key : due) {
            if (busy.get() >= options.workers()) {
                again.set(true); // more due than idle workers: look again when one is free
                return;
            }
            long at = clock.millis();
            boolean mine = tx(s -> ChangeFeed.run(s, db -> WebhookStore.claim(db, key, owner, at, at + WebhookOptions.LEASE_MILLIS)));
            if (!mine) {
                continue; // another node delivers it
            }
            busy.incrementAndGet();
            try {
                workers.execute(() -> {
                    try {
                        deliver(key);
                    } catch (RuntimeException e) {
                        LOG.warnf(e, "PBX webhooks: delivery of webhook %s, phone system %s stopped; its claim expires and it is retried",
                                key.webhookId(), key.organizationId());
                    } finally {
                        busy.decrementAndGet();
                        nudge();
                    }
                });
            } catch (RejectedExecutionException e) {
                busy.decrementAndGet();
                tx(s -> ChangeFeed.run(s, db -> {
                    WebhookStore.release(db, key, owner, 0);
                    return null;
                }));
            }
        }
    }

    /** Realm-wide webhooks get a position in each phone system whose feed started after they were registered: from its start. */
    private void addMissingPositions() {
        for (WebhookStore.Missing m : tx(s -> ChangeFeed.run(s, WebhookStore::missingPositions))) {
            try {
                tx(s -> ChangeFeed.run(s, db -> {
                    WebhookStore.insertPosition(db, m.webhookId(), m.organizationId(), m.realmId(), 0);
                    return null;
                }));
            } catch (RuntimeException e) {
                LOG.debugf(e, "PBX webhooks: position of %s in %s added by another node", m.webhookId(), m.organizationId());
            }
        }
    }

    /** What to send next for a claimed position, or why there is nothing to send. */
    private record Next(URI url, String messageId, byte[] body, List<String> secrets, long from, long seq, int attempt, String realmId,
                        String realmName, String organizationAlias, long changedAt) {
    }

    /** Delivers a claimed position's rows one by one until it is caught up, fails, or is no longer ours. */
    void deliver(WebhookStore.Key key) {
        while (!stopped) {
            Optional<Next> next = tx(s -> next(s, key));
            if (next.isEmpty()) {
                return;
            }
            Next n = next.get();
            Sender.Outcome outcome;
            try {
                targets.check(n.url().toString()); // the name may resolve elsewhere by now
                outcome = sender.send(n.url(), n.messageId(), clock.millis() / 1000, n.body(), n.secrets());
            } catch (IllegalArgumentException e) {
                outcome = new Sender.Outcome(null, "refused: " + e.getMessage(), 0);
            }
            Sender.Outcome o = outcome;
            Meters.webhookDelivery(n.realmName(), n.organizationAlias(), o.delivered(),
                    o.delivered() ? Duration.ofMillis(clock.millis() - n.changedAt()) : null);
            if (!tx(s -> record(s, key, n, o))) {
                return;
            }
        }
    }

    private Optional<Next> next(KeycloakSession session, WebhookStore.Key key) {
        return ChangeFeed.run(session, db -> {
            long now = clock.millis();
            Webhook w = WebhookStore.get(db, key.webhookId()).orElse(null);
            WebhookStore.Position p = WebhookStore.position(db, key).orElse(null);
            if (w == null || p == null || !owner.equals(p.leaseOwner())) {
                return Optional.empty(); // removed, or the lease went to another node
            }
            if (!w.enabled()) {
                WebhookStore.release(db, key, owner, 0);
                return Optional.empty();
            }
            ChangeFeed.Head head = ChangeFeed.head(db, key.organizationId()).orElse(null);
            if (head == null || head.seq() <= p.deliveredSeq()) {
                WebhookStore.release(db, key, owner, 0); // a row committed meanwhile: the worker's nudge finds it
                return Optional.empty();
            }
            RealmModel realm = session.realms().getRealm(w.realmId());
            OrganizationModel org = null;
            if (realm != null) {
                session.getContext().setRealm(realm);
                org = session.getProvider(OrganizationProvider.class).getById(key.organizationId());
            }
            if (org == null) { // being removed: its positions go with it
                WebhookStore.release(db, key, owner, now + 60_000);
                return Optional.empty();
            }
            if (head.purgedThrough() > p.deliveredSeq()) {
                String reason = "Phone system '" + org.getAlias() + "': changes " + ChangeFeed.cursor(key.organizationId(), p.deliveredSeq() + 1)
                        + " to " + ChangeFeed.cursor(key.organizationId(), head.purgedThrough()) + " were removed by the feed's retention before"
                        + " this webhook delivered them. The receiver should read the phone system again (GET .../extensions); re-enabling"
                        + " the webhook goes on after the removed changes.";
                disable(session, db, realm, w, reason, now);
                WebhookStore.release(db, key, owner, 0);
                return Optional.empty();
            }
            List<ChangeFeed.Row> rows = ChangeFeed.after(db, key.organizationId(), p.deliveredSeq(), 1);
            if (rows.isEmpty()) {
                WebhookStore.release(db, key, owner, now + 1_000);
                return Optional.empty();
            }
            ChangeFeed.Row row = rows.get(0);
            if (!WebhookStore.extend(db, key, owner, now + WebhookOptions.LEASE_MILLIS)) {
                return Optional.empty(); // the lease expired and went elsewhere
            }
            URI base = URI.create(w.baseUrl());
            Map<String, Object> rendered = ChangeFeed.renderer(base, realm.getName()).change(key.organizationId(), row);
            byte[] body = Deliveries.body(key.organizationId(), org.getAlias(), row, rendered);
            return Optional.of(new Next(URI.create(w.url()), Deliveries.messageId(w.id(), key.organizationId(), row.seq()), body,
                    w.signingSecrets(now), p.deliveredSeq(), row.seq(), p.failures() + 1, w.realmId(), realm.getName(), org.getAlias(),
                    row.createdAt()));
        });
    }

    /** Logs the attempt and moves the position on (true: go on with the next row) or schedules the retry. */
    private boolean record(KeycloakSession session, WebhookStore.Key key, Next n, Sender.Outcome o) {
        return ChangeFeed.run(session, db -> {
            long now = clock.millis();
            WebhookStore.log(db, new WebhookStore.Attempt(KeycloakModelUtils.generateId(), key.webhookId(), n.realmId(), key.organizationId(),
                    n.seq(), n.messageId(), n.attempt(), now, o.status(), o.error(), o.durationMillis()), WebhookOptions.LOG_SIZE);
            if (o.delivered()) {
                return WebhookStore.advance(db, key, owner, n.from(), n.seq(), now + WebhookOptions.LEASE_MILLIS);
            }
            int failures = n.attempt();
            long wait = options.backoff().delay(failures, random);
            if (!WebhookStore.fail(db, key, owner, failures, now + wait)) {
                return false;
            }
            LOG.debugf("PBX webhooks: webhook %s, phone system %s, sequence %d: attempt %d failed (%s); next in %d ms", key.webhookId(),
                    key.organizationId(), n.seq(), failures, o.status() != null ? "HTTP " + o.status() : o.error(), wait);
            Webhook w = WebhookStore.get(db, key.webhookId()).orElse(null);
            if (w != null && w.enabled() && failures >= w.maxFailures()) {
                RealmModel realm = session.realms().getRealm(w.realmId());
                String reason = "Disabled after " + failures + " consecutive failed deliveries (last: "
                        + (o.status() != null ? "HTTP " + o.status() : o.error()) + ", at " + Instant.ofEpochMilli(now)
                        + "). Fix the receiver, then enable the webhook again: it goes on from where it stopped.";
                if (realm != null) {
                    disable(session, db, realm, w, reason, now);
                }
            }
            return false;
        });
    }

    private void disable(KeycloakSession session, Jdbc db, RealmModel realm, Webhook w, String reason, long now) throws SQLException {
        if (!WebhookStore.disable(db, w.id(), reason, now)) {
            return;
        }
        LOG.warnf("PBX webhooks: realm '%s', webhook %s (%s) disabled: %s", realm.getName(), w.id(), w.url(), reason);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("webhookId", w.id());
        details.put("url", w.url());
        details.put("reason", reason);
        SystemAdminEvents.fire(session, realm, RESOURCE_TYPE, "pbx-directory/webhooks/" + w.id(), details);
    }

    private <T> T tx(Function<KeycloakSession, T> work) {
        return KeycloakModelUtils.runJobInTransactionWithResult(factory, work::apply);
    }

    void stop() {
        stopped = true;
        ticker.shutdownNow();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        }
    }

    String owner() {
        return owner;
    }
}
