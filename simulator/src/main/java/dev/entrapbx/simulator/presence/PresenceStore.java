package dev.entrapbx.simulator.presence;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Teams presence of users: the user's own state (what their Teams clients publish, or a state they chose), the
 * Teams licence flag, the presence sessions applications opened with setPresence, and the presence Graph shows,
 * aggregated as presence-setpresence documents it: a user-configured state overrides the others; among sessions
 * DoNotDisturb > Busy > Available > Away; no session at all shows Offline/Offline. A user without a Teams licence
 * shows PresenceUnknown/PresenceUnknown. Listeners hear every change of the shown presence (change notifications).
 */
public final class PresenceStore implements AutoCloseable {
    /** An application's presence session for a user. */
    public record AppSession(String sessionId, String appId, String availability, String activity, Instant expiresAt) { }

    /** One setPresence or clearPresence call, as the control API shows it. */
    public record LogEntry(Instant time, String operation, String sessionId, String appId, String availability,
                           String activity, String expirationDuration) { }

    /** Everything about one user's presence, for the control API. */
    public record Snapshot(String userId, PresenceState own, boolean userConfigured, boolean licensed,
                           List<AppSession> sessions, PresenceState shown) { }

    /** Told when the presence a user shows changes. */
    @FunctionalInterface
    public interface Listener {
        void changed(String tenantId, String userId, PresenceState shown);
    }

    private static final int LOG_CAPACITY = 1_000;

    private static final class UserPresence {
        final String tenantId;
        final String userId;
        PresenceState own = PresenceState.OFFLINE;
        boolean userConfigured;
        boolean licensed = true;
        final Map<String, AppSession> sessions = new LinkedHashMap<>();
        final List<LogEntry> log = new ArrayList<>();
        PresenceState shown;

        UserPresence(String tenantId, String userId) {
            this.tenantId = tenantId;
            this.userId = userId;
        }
    }

    private final Clock clock;
    private final Map<String, UserPresence> users = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService expiry = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "presence-session-expiry");
        t.setDaemon(true);
        return t;
    });

    public PresenceStore(Clock clock) {
        this.clock = clock;
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    /** The presence the user shows now. */
    public PresenceState shown(String tenantId, String userId) {
        UserPresence p = users.get(key(tenantId, userId));
        if (p == null) {
            return PresenceState.OFFLINE;
        }
        synchronized (p) {
            return aggregate(p, clock.instant());
        }
    }

    public boolean licensed(String tenantId, String userId) {
        UserPresence p = users.get(key(tenantId, userId));
        if (p == null) {
            return true;
        }
        synchronized (p) {
            return p.licensed;
        }
    }

    /**
     * Sets the user's own state (the Teams clients' session). {@code userConfigured} marks it as chosen by the user
     * (it then overrides application sessions); availability Offline means no Teams client is signed in.
     */
    public Snapshot setOwn(String tenantId, String userId, PresenceState own, boolean userConfigured) {
        Objects.requireNonNull(own);
        return mutate(tenantId, userId, p -> {
            p.own = own;
            p.userConfigured = userConfigured;
        });
    }

    public Snapshot setLicensed(String tenantId, String userId, boolean licensed) {
        return mutate(tenantId, userId, p -> p.licensed = licensed);
    }

    /** An application's setPresence (already validated): creates or replaces its session. */
    public void setPresence(String tenantId, String userId, String appId, String sessionId, String availability,
                            String activity, Duration expiration, String expirationText) {
        Instant now = clock.instant();
        mutate(tenantId, userId, p -> {
            p.sessions.put(sessionId.toLowerCase(Locale.ROOT),
                    new AppSession(sessionId, appId, availability, activity, now.plus(expiration)));
            log(p, new LogEntry(now, "setPresence", sessionId, appId, availability, activity, expirationText));
        });
        expiry.schedule(() -> recompute(tenantId, userId), expiration.toMillis() + 5, TimeUnit.MILLISECONDS);
    }

    /** An application's clearPresence; false when the session does not exist (Graph answers 404). */
    public boolean clearPresence(String tenantId, String userId, String appId, String sessionId) {
        boolean[] found = new boolean[1];
        Instant now = clock.instant();
        mutate(tenantId, userId, p -> {
            purgeExpired(p, now);
            found[0] = p.sessions.remove(sessionId.toLowerCase(Locale.ROOT)) != null;
            if (found[0]) {
                log(p, new LogEntry(now, "clearPresence", sessionId, appId, null, null, null));
            }
        });
        return found[0];
    }

    /** Test hook: ends a session now, as if its expirationDuration had passed. */
    public boolean expireSession(String tenantId, String userId, String sessionId) {
        boolean[] found = new boolean[1];
        mutate(tenantId, userId, p -> found[0] = p.sessions.remove(sessionId.toLowerCase(Locale.ROOT)) != null);
        return found[0];
    }

    /** setPresence/clearPresence calls for the user, oldest first. */
    public List<LogEntry> log(String tenantId, String userId) {
        UserPresence p = users.get(key(tenantId, userId));
        if (p == null) {
            return List.of();
        }
        synchronized (p) {
            return List.copyOf(p.log);
        }
    }

    public Snapshot snapshot(String tenantId, String userId) {
        UserPresence p = users.computeIfAbsent(key(tenantId, userId), k -> new UserPresence(tenantId, userId));
        synchronized (p) {
            return snapshotOf(p, clock.instant());
        }
    }

    /** Re-evaluates a user's presence (session expiry) and tells listeners when it changed. */
    public void recompute(String tenantId, String userId) {
        mutate(tenantId, userId, p -> { });
    }

    public void reset() {
        users.clear();
    }

    @Override
    public void close() {
        expiry.shutdownNow();
    }

    private Snapshot mutate(String tenantId, String userId, java.util.function.Consumer<UserPresence> change) {
        UserPresence p = users.computeIfAbsent(key(tenantId, userId), k -> new UserPresence(tenantId, userId));
        PresenceState before;
        PresenceState after;
        Snapshot snapshot;
        synchronized (p) {
            Instant now = clock.instant();
            before = p.shown != null ? p.shown : aggregate(p, now);
            change.accept(p);
            purgeExpired(p, now);
            after = aggregate(p, now);
            p.shown = after;
            snapshot = snapshotOf(p, now);
        }
        if (!after.equals(before)) {
            for (Listener l : listeners) {
                l.changed(tenantId, p.userId, after);
            }
        }
        return snapshot;
    }

    private static Snapshot snapshotOf(UserPresence p, Instant now) {
        List<AppSession> active = p.sessions.values().stream().filter(s -> s.expiresAt().isAfter(now)).toList();
        return new Snapshot(p.userId, p.own, p.userConfigured, p.licensed, active, aggregate(p, now));
    }

    private static void purgeExpired(UserPresence p, Instant now) {
        p.sessions.values().removeIf(s -> !s.expiresAt().isAfter(now));
    }

    private static void log(UserPresence p, LogEntry entry) {
        p.log.add(entry);
        if (p.log.size() > LOG_CAPACITY) {
            p.log.remove(0);
        }
    }

    private static PresenceState aggregate(UserPresence p, Instant now) {
        if (!p.licensed) {
            return PresenceState.UNKNOWN;
        }
        String oofMessage = p.own.outOfOfficeMessage();
        boolean oof = p.own.outOfOffice();
        if (p.userConfigured) {
            return p.own;
        }
        String availability = null;
        String activity = null;
        int best = -1;
        if (PresenceState.rank(p.own.availability()) > 0) {
            availability = p.own.availability();
            activity = p.own.activity();
            best = PresenceState.rank(availability);
        }
        for (AppSession s : p.sessions.values()) {
            if (s.expiresAt().isAfter(now) && PresenceState.rank(s.availability()) > best) {
                availability = s.availability();
                activity = s.activity();
                best = PresenceState.rank(availability);
            }
        }
        if (availability == null) {
            return PresenceState.OFFLINE.withOutOfOffice(oofMessage, oof);
        }
        return new PresenceState(availability, activity, oofMessage, oof);
    }

    private static String key(String tenantId, String userId) {
        return tenantId.toLowerCase(Locale.ROOT) + "/" + userId.toLowerCase(Locale.ROOT);
    }
}
