package dev.entrapbx.presence;

import dev.entrapbx.graph.GraphException;
import dev.entrapbx.kc.Db;
import dev.entrapbx.kc.Jdbc;
import dev.entrapbx.kc.PresenceTouched;
import dev.entrapbx.sync.EntraSyncConfig;
import dev.entrapbx.sync.PhoneSystemSync;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * One presence read of a phone system (a sync component with Teams presence on):
 * <ol>
 * <li>the component's enabled synced users and their stored presence, in a short transaction;</li>
 * <li>Teams presence, {@value GraphPresence#PRESENCE_BATCH} users per {@code getPresencesByUserId};
 *     with the calendar on, the users Teams does not know through {@code getSchedule};</li>
 * <li>the members whose presence changed written, with their {@code presence.changed} feed rows
 *     ({@link PresenceTouched}), {@value #TX_SIZE} per transaction.</li>
 * </ol>
 * A batch Graph cannot answer (after the retry layer's retries) leaves its users' stored presence as
 * it was and makes the poll fail with that reason, which the job keeps as its last error; the other
 * batches are still written.
 */
final class PresencePoll {

    private static final Logger LOG = Logger.getLogger(PresencePoll.class);
    static final int TX_SIZE = 500;

    /** What one poll did. */
    record Result(int users, int changed, int graphCalls, List<String> problems) {
        String error() {
            return problems.isEmpty() ? null : String.join(" ", problems);
        }
    }

    private final KeycloakSessionFactory sessions;
    private final String realmId;
    private final ComponentModel model;
    private final Clock clock;

    PresencePoll(KeycloakSessionFactory sessions, String realmId, ComponentModel model, Clock clock) {
        this.sessions = sessions;
        this.realmId = realmId;
        this.model = model;
        this.clock = clock;
    }

    private record Start(String organizationId, GraphPresence graph, Map<String, String> users, Map<String, PresenceStore.Row> stored) {
    }

    Result run() {
        EntraSyncConfig config = new EntraSyncConfig(model);
        Start start = KeycloakModelUtils.runJobInTransactionWithResult(sessions, s -> {
            RealmModel realm = s.realms().getRealm(realmId);
            s.getContext().setRealm(realm);
            PhoneSystemSync.Link link = PhoneSystemSync.link(s, realm, model, PhoneSystemSync.backgroundPolicy(sessions));
            Map<String, String> users = PhoneSystemSync.enabledUsers(s, realmId, model.getId());
            Map<String, PresenceStore.Row> stored = Db.run(s, "Presence", db -> PresenceStore.ofComponent(db, model.getId()));
            return new Start(link.organization().getId(), new GraphPresence(link.graph()), users, stored);
        });
        List<String> problems = new ArrayList<>();
        int calls = 0;
        Map<String, Presence> read = new HashMap<>();
        List<String> oids = new ArrayList<>(start.users().keySet());
        oids.sort(null);
        for (int i = 0; i < oids.size(); i += GraphPresence.PRESENCE_BATCH) {
            List<String> batch = oids.subList(i, Math.min(oids.size(), i + GraphPresence.PRESENCE_BATCH));
            calls++;
            try {
                read.putAll(start.graph().presences(batch));
            } catch (GraphException e) {
                problems.add("Presence of " + batch.size() + " user(s) not read: " + e.getMessage() + ".");
            }
        }
        if (config.presenceCalendar()) {
            calls += calendar(start, read, problems);
        }
        int changed = write(start, read);
        if (!problems.isEmpty()) {
            LOG.warnf("Presence of phone system %s (sync '%s', realm %s): %s", start.organizationId(), model.getName(), realmId,
                    String.join(" ", problems));
        }
        return new Result(start.users().size(), changed, calls, problems);
    }

    /** Calendar presence for the users Teams does not know; returns the Graph calls made. */
    private int calendar(Start start, Map<String, Presence> read, List<String> problems) {
        Map<String, String> unknownByUser = new HashMap<>(); // Keycloak user id -> object id
        read.forEach((oid, p) -> {
            if (p.unknown()) {
                unknownByUser.put(start.users().get(oid), oid);
            }
        });
        if (unknownByUser.isEmpty()) {
            return 0;
        }
        Map<String, String> emails = KeycloakModelUtils.runJobInTransactionWithResult(sessions,
                s -> Db.run(s, "Presence", db -> emails(db, new ArrayList<>(unknownByUser.keySet()))));
        Map<String, String> oidByEmail = new HashMap<>();
        emails.forEach((userId, email) -> oidByEmail.put(email.toLowerCase(Locale.ROOT), unknownByUser.get(userId)));
        List<String> addresses = new ArrayList<>(oidByEmail.keySet());
        addresses.sort(null);
        Instant now = clock.instant();
        int calls = 0;
        for (int i = 0; i < addresses.size(); i += GraphPresence.SCHEDULE_BATCH) {
            List<String> batch = addresses.subList(i, Math.min(addresses.size(), i + GraphPresence.SCHEDULE_BATCH));
            calls++;
            try {
                Map<String, Presence> busy = start.graph().schedules(oidByEmail.get(batch.get(0)), batch, now);
                for (String address : batch) {
                    Presence p = busy.get(address);
                    // free now: the calendar says nothing, so the member shows as available by calendar
                    read.put(oidByEmail.get(address), p != null ? p : new Presence("Available", "Available", false, Presence.Source.CALENDAR));
                }
            } catch (GraphException e) {
                problems.add("Calendar of " + batch.size() + " user(s) not read: " + e.getMessage() + ".");
                for (String address : batch) {
                    read.remove(oidByEmail.get(address)); // kept as it was, not turned into "unknown"
                }
            }
        }
        return calls;
    }

    private static Map<String, String> emails(Jdbc db, List<String> userIds) throws SQLException {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < userIds.size(); i += 500) {
            List<String> chunk = userIds.subList(i, Math.min(userIds.size(), i + 500));
            try (PreparedStatement ps = db.prepareStatement("SELECT ID, EMAIL FROM #USER_ENTITY WHERE EMAIL IS NOT NULL AND ID IN ("
                    + Jdbc.marks(chunk.size()) + ")")) {
                Jdbc.bind(ps, 1, chunk);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
        }
        return out;
    }

    /** Writes the changes (and forgets members no longer synced); returns how many members changed. */
    private int write(Start start, Map<String, Presence> read) {
        long now = clock.millis();
        List<String[]> changes = new ArrayList<>(); // oid, userId
        read.forEach((oid, p) -> {
            String userId = start.users().get(oid);
            PresenceStore.Row before = userId == null ? null : start.stored().get(userId);
            if (userId != null && (before == null || !before.presence().sameAs(p))) {
                changes.add(new String[] {oid, userId});
            }
        });
        java.util.Set<String> synced = new java.util.HashSet<>(start.users().values());
        List<String> gone = start.stored().keySet().stream().filter(u -> !synced.contains(u)).toList();
        for (int i = 0; i < changes.size(); i += TX_SIZE) {
            List<String[]> slice = changes.subList(i, Math.min(changes.size(), i + TX_SIZE));
            KeycloakModelUtils.runJobInTransaction(sessions, s -> Db.run(s, "Presence", db -> {
                List<PresenceTouched.Change> touched = new ArrayList<>();
                for (String[] c : slice) {
                    Presence p = read.get(c[0]);
                    PresenceStore.upsert(db, realmId, start.organizationId(), model.getId(), c[1], c[0], p, now,
                            start.stored().containsKey(c[1]));
                    touched.add(new PresenceTouched.Change(c[1], PresenceJson.item(c[1], p, now)));
                }
                PresenceTouched.publish(s, realmId, start.organizationId(), touched);
                return null;
            }));
        }
        if (!gone.isEmpty()) { // disabled or no longer synced: their presence is forgotten (the directory says they left)
            KeycloakModelUtils.runJobInTransaction(sessions, s -> Db.run(s, "Presence", db -> {
                PresenceStore.forget(db, start.organizationId(), gone);
                return null;
            }));
        }
        return changes.size();
    }
}
