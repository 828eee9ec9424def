package dev.entrapbx.directory;

import dev.entrapbx.sync.PhoneSystemSync;
import dev.entrapbx.kc.Jdbc;
import dev.entrapbx.kc.ContactsTouched;
import dev.entrapbx.kc.PresenceTouched;
import dev.entrapbx.kc.Db;

import dev.entrapbx.directory.webhook.WebhookNudge;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.logging.Logger;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * The change feed's outbox writer, one per session. During the transaction, listeners note which
 * members may have changed ({@link #touch}, {@link #touchUser}); just before the transaction
 * commits (Keycloak's prepare phase) it reads those members' current state, compares it with the
 * published entries, and writes one feed row per change and the new entries, on the same
 * connection: the rows commit with the change, or not at all.
 *
 * <p>Commit order: the phone system's head row is locked before anything is compared, and stays
 * locked until the commit, so two transactions changing the same phone system number their rows
 * one after the other: a reader never sees sequence 12 committed while 11 is still to come.
 */
final class FeedWriter extends AbstractKeycloakTransaction {

    private static final Logger LOG = Logger.getLogger(FeedWriter.class);
    private static final String ATTRIBUTE = FeedWriter.class.getName();

    private final KeycloakSession session;
    /** Organization id -> realm id, in first-touch order. */
    private final Map<String, String> realms = new LinkedHashMap<>();
    private final Map<String, Set<String>> touched = new HashMap<>();
    /** Contact changes per phone system, in the order they were written. */
    private final Map<String, List<ContactsTouched.Change>> contacts = new HashMap<>();
    /** Presence changes per phone system: the latest per member. */
    private final Map<String, Map<String, String>> presence = new HashMap<>();
    /** Users whose phone systems are found at commit. */
    private final Set<String> users = new HashSet<>();
    /** Entries this transaction added, per phone system. */
    private final Map<String, Integer> entriesAdded = new HashMap<>();
    /** Organizations removed in this transaction: nothing to publish for them. */
    private final Set<String> removed = new HashSet<>();

    private FeedWriter(KeycloakSession session) {
        this.session = session;
    }

    /** The session's writer, enlisted in its transaction on first use. */
    static FeedWriter of(KeycloakSession session) {
        FeedWriter w = session.getAttribute(ATTRIBUTE, FeedWriter.class);
        if (w == null) {
            w = new FeedWriter(session);
            session.setAttribute(ATTRIBUTE, w);
            // the providers used at commit are created now: once commit began, a new one could not enlist itself
            session.realms();
            session.getTransactionManager().enlistPrepare(w);
            session.getTransactionManager().enlistAfterCompletion(WebhookNudge.afterCommit(session)); // webhooks: deliver without waiting
            FeedWriter writer = w;
            session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() { // (nothing can be enlisted once commit began)
                @Override
                protected void commitImpl() {
                    writer.afterCommit();
                }

                @Override
                protected void rollbackImpl() {
                }
            });
        }
        return w;
    }

    /** Planner statistics after a bulk of new entries ({@link DirectoryStatistics}). */
    private void afterCommit() {
        boolean due = false;
        for (Map.Entry<String, Integer> e : entriesAdded.entrySet()) {
            due |= DirectoryStatistics.added(e.getKey(), e.getValue());
        }
        if (due) {
            DirectoryStatistics.analyze(session.getKeycloakSessionFactory());
        }
    }

    void touch(String realmId, String organizationId, Collection<String> userIds) {
        realms.putIfAbsent(organizationId, realmId);
        touched.computeIfAbsent(organizationId, k -> new HashSet<>()).addAll(userIds);
    }

    void touchContacts(String realmId, String organizationId, List<ContactsTouched.Change> changes) {
        realms.putIfAbsent(organizationId, realmId);
        contacts.computeIfAbsent(organizationId, k -> new ArrayList<>()).addAll(changes);
    }

    void touchPresence(String realmId, String organizationId, List<PresenceTouched.Change> changes) {
        realms.putIfAbsent(organizationId, realmId);
        Map<String, String> latest = presence.computeIfAbsent(organizationId, k -> new LinkedHashMap<>());
        changes.forEach(c -> latest.put(c.userId(), c.json()));
    }

    /** A user changed in a way that concerns every phone system the user is, or was, a member of. */
    void touchUser(String userId) {
        users.add(userId);
    }

    void organizationRemoved(String organizationId) {
        removed.add(organizationId);
    }

    @Override
    protected void commitImpl() {
        if (touched.isEmpty() && users.isEmpty() && contacts.isEmpty() && presence.isEmpty()) {
            return;
        }
        Db.run(session, "PBX directory", db -> {
            resolveUsers(db);
            for (Map.Entry<String, String> e : realms.entrySet()) {
                if (!removed.contains(e.getKey())) {
                    publish(db, e.getValue(), e.getKey(), touched.getOrDefault(e.getKey(), Set.of()),
                            contacts.getOrDefault(e.getKey(), List.of()), presence.getOrDefault(e.getKey(), Map.of()));
                }
            }
            return null;
        });
    }

    @Override
    protected void rollbackImpl() {
        // nothing written outside the transaction
    }

    /** The phone systems of the users touched without one: those they are members of, and those they have an entry in. */
    private void resolveUsers(Jdbc db) throws SQLException {
        List<String> ids = List.copyOf(users);
        for (int i = 0; i < ids.size(); i += EntryReader.CHUNK) {
            List<String> chunk = ids.subList(i, Math.min(ids.size(), i + EntryReader.CHUNK));
            String in = Jdbc.marks(chunk.size());
            try (PreparedStatement ps = db.prepareStatement("SELECT m.USER_ID, o.ID, o.REALM_ID FROM #USER_GROUP_MEMBERSHIP m"
                    + " JOIN #ORG o ON o.GROUP_ID = m.GROUP_ID WHERE m.USER_ID IN (" + in + ")"
                    + " UNION SELECT USER_ID, ORG_ID, REALM_ID FROM #ENTRAPBX_DIR_ENTRY WHERE USER_ID IN (" + in + ")")) {
                int next = Jdbc.bind(ps, 1, chunk);
                Jdbc.bind(ps, next, chunk);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        touch(rs.getString(3), rs.getString(2), List.of(rs.getString(1)));
                    }
                }
            }
        }
        users.clear();
    }

    /** One member compared: the published entry (and its sequence; null: none), the current state, what changed. */
    private record Compared(String userId, Entry before, Long storedSeq, Entry after, String reason, List<ChangeType.Change> changes) {
    }

    /**
     * Compares first, without the head lock (reading the members' state is most of the work), then
     * locks the head and checks that no other transaction published any of these members meanwhile
     * (their entries' sequence numbers are unchanged); those that were are compared again under the
     * lock. Only numbering, writing and the commit itself hold the lock.
     */
    private void publish(Jdbc db, String realmId, String organizationId, Set<String> userIds, List<ContactsTouched.Change> contactChanges,
                         Map<String, String> presenceChanges) throws SQLException {
        EntryReader reader = reader(session, db, realmId, organizationId);
        if (reader == null) {
            return; // the Organization is gone (in this transaction or before): its rows go with it
        }
        if (FeedStore.head(db, organizationId, false).isEmpty()) {
            start(session, realmId, organizationId);
        }
        Map<String, Compared> compared = userIds.isEmpty() ? new HashMap<>() : compare(db, reader, organizationId, userIds);
        FeedStore.Head head = FeedStore.head(db, organizationId, true)
                .orElseThrow(() -> new IllegalStateException("PBX directory: no feed head for " + organizationId));
        Map<String, Long> seqsNow = userIds.isEmpty() ? Map.of() : FeedStore.entrySeqs(db, organizationId, userIds);
        Set<String> stale = new HashSet<>();
        for (Compared c : compared.values()) {
            if (!java.util.Objects.equals(c.storedSeq(), seqsNow.get(c.userId()))) {
                stale.add(c.userId());
            }
        }
        if (!stale.isEmpty()) {
            compared.putAll(compare(db, reader, organizationId, stale));
        }
        DirectoryNumbers.ensure(db, realmId, organizationId, reader.region(), false); // the head is locked: a region change re-indexes
        long seq = head.seq();
        long at = System.currentTimeMillis();
        List<FeedStore.ChangeRow> rows = new ArrayList<>();
        Map<String, String> inserts = new LinkedHashMap<>();
        Map<String, String> updates = new LinkedHashMap<>();
        Map<String, Long> seqs = new HashMap<>();
        List<String> deletes = new ArrayList<>();
        Map<String, Entry> written = new LinkedHashMap<>();
        for (String userId : new TreeSet<>(userIds)) {
            Compared c = compared.get(userId);
            if (c.changes().isEmpty()) {
                continue;
            }
            for (ChangeType.Change change : c.changes()) {
                seq++;
                rows.add(new FeedStore.ChangeRow(seq, userId, change.type().id(),
                        Json.write(new ChangeBody(change.fields(), c.reason(), c.after() != null ? c.after() : c.before())), at));
            }
            seqs.put(userId, seq);
            if (c.before() == null) {
                inserts.put(userId, Json.write(c.after()));
                written.put(userId, c.after());
            } else if (c.after() == null) {
                deletes.add(userId);
            } else {
                updates.put(userId, Json.write(c.after()));
                written.put(userId, c.after());
            }
        }
        for (ContactRow c : ContactRow.read(db, contactChanges)) {
            seq++;
            rows.add(new FeedStore.ChangeRow(seq, c.contactId(), c.type(), c.data(), at));
        }
        for (Map.Entry<String, String> p : presenceChanges.entrySet()) {
            seq++;
            rows.add(new FeedStore.ChangeRow(seq, p.getKey(), PresenceRow.TYPE, "{\"presence\":" + p.getValue() + "}", at));
        }
        if (rows.isEmpty()) {
            return;
        }
        PresenceRow.coalesce(db, organizationId, presenceChanges.keySet()); // the members' earlier presence rows: replaced by these
        FeedStore.writeEntries(db, realmId, organizationId, inserts, updates, seqs, deletes);
        List<String> dropped = new ArrayList<>(updates.keySet()); // new members have no numbers stored yet
        dropped.addAll(deletes);
        DirectoryNumbers.write(db, realmId, organizationId, written, dropped, reader.region());
        FeedStore.insertChanges(db, realmId, organizationId, rows);
        FeedStore.advanceHead(db, organizationId, seq);
        entriesAdded.merge(organizationId, inserts.size(), Integer::sum);
        LOG.debugf("PBX directory: %s change(s) in phone system %s, feed now at %s", Integer.valueOf(rows.size()), organizationId, Long.valueOf(seq));
    }

    private static Map<String, Compared> compare(Jdbc db, EntryReader reader, String organizationId, Set<String> userIds) throws SQLException {
        EntryReader.Members now = reader.read(userIds);
        Map<String, FeedStore.StoredEntry> stored = FeedStore.entries(db, organizationId, userIds);
        Map<String, Compared> out = new HashMap<>();
        for (String userId : userIds) {
            FeedStore.StoredEntry s = stored.get(userId);
            Entry before = s == null ? null : Json.read(s.data(), Entry.class);
            Entry after = now.entries().get(userId);
            String reason = after != null ? null : now.existing().contains(userId) ? "left-organization" : "deleted";
            out.put(userId, new Compared(userId, before, s == null ? null : s.seq(), after, reason, ChangeType.between(before, after)));
        }
        return out;
    }

    /** The reader of a phone system's entries; null when its Organization is gone. */
    private static EntryReader reader(KeycloakSession session, Jdbc db, String realmId, String organizationId) throws SQLException {
        EntryReader reader = new EntryReader(db, realmId, organizationId);
        String alias = reader.organizationAlias();
        if (alias == null) {
            return null;
        }
        RealmModel realm = session.realms().getRealm(realmId);
        Optional<ComponentModel> sync = realm == null ? Optional.empty() : PhoneSystemSync.ofOrganization(realm, organizationId, alias);
        return reader.extensionsOff(PhoneSystems.extensionsOff(sync)).region(PhoneSystems.region(sync));
    }

    /** What a feed row stores besides its sequence, type and time: the fields concerned, why a member was removed, and the member. */
    record ChangeBody(List<String> fields, String reason, Entry user) {
    }

    /**
     * Starts a phone system's feed: its head at 0 and the published entries of its current members,
     * in a transaction of its own (committed state only; the caller's changes are then compared
     * against it). Two writers starting the same feed at once: the second finds the head taken and
     * uses the first's.
     */
    static void start(KeycloakSession caller, String realmId, String organizationId) {
        if (Db.run(caller, "PBX directory", db -> FeedStore.head(db, organizationId, false).isPresent())) {
            return; // started: one read on the caller's transaction, not a transaction of its own per API call
        }
        try {
            seed(caller, realmId, organizationId);
        } catch (RuntimeException e) {
            // another transaction started this feed at the same moment (its head insert won); else a real failure
            boolean started = KeycloakModelUtils.runJobInTransactionWithResult(caller.getKeycloakSessionFactory(),
                    s -> Db.run(s, "PBX directory", db -> FeedStore.head(db, organizationId, false).isPresent()));
            if (!started) {
                throw e;
            }
            LOG.debugf(e, "PBX directory: feed of %s started concurrently", organizationId);
        }
    }

    private static void seed(KeycloakSession caller, String realmId, String organizationId) {
        KeycloakModelUtils.runJobInTransaction(caller.getKeycloakSessionFactory(), s -> Db.run(s, "PBX directory", db -> {
            if (FeedStore.head(db, organizationId, false).isPresent()) {
                return null;
            }
            FeedStore.insertHead(db, realmId, organizationId, System.currentTimeMillis());
            EntryReader reader = reader(s, db, realmId, organizationId);
            List<String> members = reader == null ? List.of() : reader.memberIds();
            for (int i = 0; i < members.size(); i += EntryReader.CHUNK) {
                EntryReader.Members chunk = reader.read(members.subList(i, Math.min(members.size(), i + EntryReader.CHUNK)));
                Map<String, String> rows = new LinkedHashMap<>();
                chunk.entries().forEach((id, entry) -> rows.put(id, Json.write(entry)));
                FeedStore.writeEntries(db, realmId, organizationId, rows, Map.of(), Map.of(), List.of());
                DirectoryNumbers.write(db, realmId, organizationId, chunk.entries(), List.of(), reader.region());
            }
            DirectoryNumbers.indexed(db, organizationId, reader == null ? null : reader.region());
            LOG.infof("PBX directory: feed of phone system %s started with %d member(s)", organizationId, members.size());
            return null;
        }));
    }
}
