package dev.entrapbx.sync.contacts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.entrapbx.kc.Jdbc;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The contacts tables ({@code ENTRAPBX_CONTACT}, {@code _PHONE}, {@code _FOLDER}; changelog
 * {@code entra-pbx-sync-5}), in plain JDBC on the caller's transaction. A contact is stored once per
 * component and mailbox ({@code MAILBOX} is the mailbox user's object id, {@value #TENANT} for
 * organizational contacts), with its numbers in a row each for the caller-ID lookup.
 */
public final class ContactStore {

    /** The MAILBOX of organizational contacts (they belong to the tenant, not to a mailbox). */
    public static final String TENANT = "tenant";
    /** The FOLDER_ID of organizational contacts. */
    public static final String ORG_CONTACTS_FOLDER = "orgContacts";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int IN = 200;

    private ContactStore() {
    }

    /** Where a batch of contacts goes: one mailbox's folder of one component. */
    public record Book(String realmId, String organizationId, String componentId, Contact.Source source, String ownerId,
                       String mailbox, String folderId) {
    }

    /** What a write changed, by our contact id (for the run's counts and the change feed). */
    public record Changes(List<String> added, List<String> updated, List<String> removed) {

        public static Changes none() {
            return new Changes(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        }

        public void addAll(Changes other) {
            added.addAll(other.added);
            updated.addAll(other.updated);
            removed.addAll(other.removed);
        }

        public int size() {
            return added.size() + updated.size() + removed.size();
        }
    }

    /** A mailbox folder's state: its delta link (null: the next read is a full one), last outcome and count. */
    public record FolderState(String componentId, String mailbox, String folderId, Contact.Source source, String ownerId,
                              String displayName, String deltaLink, String status, String problem, int contacts, long syncedAt) {
    }

    /**
     * Stores {@code contacts} in {@code book}: new ones inserted, changed ones (another name, company,
     * numbers...) rewritten, the same ones left alone. A contact that moved from another folder of the
     * mailbox takes this folder.
     */
    public static Changes upsert(Jdbc db, Book book, List<Contact> contacts, long now) throws SQLException {
        Changes out = Changes.none();
        for (int from = 0; from < contacts.size(); from += IN) {
            List<Contact> chunk = contacts.subList(from, Math.min(contacts.size(), from + IN));
            Map<String, String[]> existing = existing(db, book, chunk.stream().map(Contact::graphId).toList());
            List<Object[]> inserts = new ArrayList<>();
            List<Object[]> updates = new ArrayList<>();
            List<String> rephone = new ArrayList<>();
            List<String> changed = new ArrayList<>();
            Map<String, Contact> byId = new HashMap<>();
            for (Contact c : chunk) {
                String data = data(c);
                String[] row = existing.get(c.graphId());
                if (row == null) {
                    String id = UUID.randomUUID().toString();
                    inserts.add(new Object[] {id, book.realmId(), book.organizationId(), book.componentId(), book.source().id(), book.ownerId(),
                            book.mailbox(), book.folderId(), c.graphId(), cut(c.displayName()), cut(c.company()), data, now});
                    byId.put(id, c);
                    rephone.add(id);
                    out.added().add(id);
                } else if (!data.equals(row[1]) || !book.folderId().equals(row[2])) {
                    updates.add(new Object[] {book.folderId(), cut(c.displayName()), cut(c.company()), data, now, row[0]});
                    byId.put(row[0], c);
                    rephone.add(row[0]);
                    changed.add(row[0]);
                    out.updated().add(row[0]);
                }
            }
            batch(db, "INSERT INTO #ENTRAPBX_CONTACT (ID, REALM_ID, ORG_ID, COMPONENT_ID, SOURCE, OWNER_ID, MAILBOX, FOLDER_ID, GRAPH_ID,"
                    + " DISPLAY_NAME, COMPANY, DATA, UPDATED_AT) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", inserts);
            batch(db, "UPDATE #ENTRAPBX_CONTACT SET FOLDER_ID = ?, DISPLAY_NAME = ?, COMPANY = ?, DATA = ?, UPDATED_AT = ? WHERE ID = ?", updates);
            deletePhones(db, changed); // their numbers are written again below
            List<Object[]> phones = new ArrayList<>();
            for (String id : rephone) {
                List<Contact.Phone> ps = byId.get(id).phones();
                for (int i = 0; i < ps.size(); i++) {
                    Contact.Phone p = ps.get(i);
                    if (p.digits().isEmpty()) {
                        continue; // nothing to match a caller with
                    }
                    phones.add(new Object[] {id, i, book.organizationId(), book.source().id(), book.ownerId(), cut(p.kind(), 16), p.e164(),
                            cut(p.digits(), 64)});
                }
            }
            batch(db, "INSERT INTO #ENTRAPBX_CONTACT_PHONE (CONTACT_ID, POS, ORG_ID, SOURCE, OWNER_ID, KIND, E164, DIGITS)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", phones);
        }
        return out;
    }

    /** Removes the contacts Graph reported deleted from {@code book}'s folder (a contact since moved to another folder stays). */
    public static Changes remove(Jdbc db, Book book, Collection<String> graphIds) throws SQLException {
        Changes out = Changes.none();
        List<String> ids = new ArrayList<>(graphIds);
        for (int from = 0; from < ids.size(); from += IN) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IN));
            List<String> ours = new ArrayList<>();
            try (PreparedStatement ps = db.prepareStatement("SELECT ID FROM #ENTRAPBX_CONTACT WHERE COMPONENT_ID = ? AND MAILBOX = ?"
                    + " AND FOLDER_ID = ? AND GRAPH_ID IN (" + Jdbc.marks(chunk.size()) + ")")) {
                ps.setString(1, book.componentId());
                ps.setString(2, book.mailbox());
                ps.setString(3, book.folderId());
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(4 + i, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ours.add(rs.getString(1));
                    }
                }
            }
            deleteContacts(db, ours);
            out.removed().addAll(ours);
        }
        return out;
    }

    /** After a complete read of {@code book}'s folder: removes its contacts that read did not see. */
    public static Changes removeUnseen(Jdbc db, Book book, java.util.Set<String> seenGraphIds) throws SQLException {
        List<String> gone = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT GRAPH_ID FROM #ENTRAPBX_CONTACT WHERE COMPONENT_ID = ? AND MAILBOX = ? AND FOLDER_ID = ?")) {
            ps.setString(1, book.componentId());
            ps.setString(2, book.mailbox());
            ps.setString(3, book.folderId());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!seenGraphIds.contains(rs.getString(1))) {
                        gone.add(rs.getString(1));
                    }
                }
            }
        }
        return remove(db, book, gone);
    }

    /** A folder that is gone (deleted in Outlook, or no longer read): its contacts and its state. */
    public static Changes removeFolder(Jdbc db, String componentId, String mailbox, String folderId) throws SQLException {
        List<String> ours = ids(db, "SELECT ID FROM #ENTRAPBX_CONTACT WHERE COMPONENT_ID = ? AND MAILBOX = ? AND FOLDER_ID = ?",
                componentId, mailbox, folderId);
        deleteContacts(db, ours);
        update(db, "DELETE FROM #ENTRAPBX_CONTACT_FOLDER WHERE COMPONENT_ID = ? AND MAILBOX = ? AND FOLDER_ID = ?", componentId, mailbox, folderId);
        return new Changes(new ArrayList<>(), new ArrayList<>(), ours);
    }

    /** Every folder state of a component. */
    public static List<FolderState> folders(Jdbc db, String componentId) throws SQLException {
        List<FolderState> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT COMPONENT_ID, MAILBOX, FOLDER_ID, SOURCE, OWNER_ID, DISPLAY_NAME, DELTA_LINK,"
                + " STATUS, PROBLEM, CONTACTS, SYNCED_AT FROM #ENTRAPBX_CONTACT_FOLDER WHERE COMPONENT_ID = ? ORDER BY MAILBOX, FOLDER_ID")) {
            ps.setString(1, componentId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new FolderState(rs.getString(1), rs.getString(2), rs.getString(3), Contact.Source.of(rs.getString(4)),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getInt(10), rs.getLong(11)));
                }
            }
        }
        return out;
    }

    /** Records a folder's outcome: its new delta link when the read completed (else the old one stays), status, problem, count. */
    public static void saveFolder(Jdbc db, Book book, String displayName, Optional<String> deltaLink, String status, String problem, long now)
            throws SQLException {
        int count;
        try (PreparedStatement ps = db.prepareStatement("SELECT COUNT(*) FROM #ENTRAPBX_CONTACT WHERE COMPONENT_ID = ? AND MAILBOX = ? AND FOLDER_ID = ?")) {
            Jdbc.set(ps, book.componentId(), book.mailbox(), book.folderId());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                count = rs.getInt(1);
            }
        }
        int updated;
        try (PreparedStatement ps = db.prepareStatement("UPDATE #ENTRAPBX_CONTACT_FOLDER SET DISPLAY_NAME = ?, OWNER_ID = ?, SOURCE = ?,"
                + " DELTA_LINK = CASE WHEN ? = 1 THEN ? ELSE DELTA_LINK END, STATUS = ?, PROBLEM = ?, CONTACTS = ?, SYNCED_AT = ?"
                + " WHERE COMPONENT_ID = ? AND MAILBOX = ? AND FOLDER_ID = ?")) {
            ps.setString(1, cut(displayName));
            ps.setString(2, book.ownerId());
            ps.setString(3, book.source().id());
            ps.setInt(4, deltaLink.isPresent() ? 1 : 0);
            ps.setString(5, deltaLink.orElse(null));
            ps.setString(6, status);
            ps.setString(7, cut(problem, 1000));
            ps.setInt(8, count);
            ps.setLong(9, now);
            ps.setString(10, book.componentId());
            ps.setString(11, book.mailbox());
            ps.setString(12, book.folderId());
            updated = ps.executeUpdate();
        }
        if (updated == 0) {
            update(db, "INSERT INTO #ENTRAPBX_CONTACT_FOLDER (COMPONENT_ID, MAILBOX, FOLDER_ID, REALM_ID, ORG_ID, SOURCE, OWNER_ID, DISPLAY_NAME,"
                            + " DELTA_LINK, CONTACTS, STATUS, PROBLEM, SYNCED_AT) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    book.componentId(), book.mailbox(), book.folderId(), book.realmId(), book.organizationId(), book.source().id(), book.ownerId(),
                    cut(displayName), deltaLink.orElse(null), count, status, cut(problem, 1000), now);
        }
    }

    /** Forgets a folder's delta link, so its next read is a full one (the link expired). */
    public static void forgetDeltaLink(Jdbc db, String componentId, String mailbox, String folderId) throws SQLException {
        update(db, "UPDATE #ENTRAPBX_CONTACT_FOLDER SET DELTA_LINK = NULL WHERE COMPONENT_ID = ? AND MAILBOX = ? AND FOLDER_ID = ?",
                componentId, mailbox, folderId);
    }

    // ---- what goes with what ----

    /** A removed user takes their personal contacts. */
    public static void deleteOwner(Jdbc db, String userId) throws SQLException {
        deleteContacts(db, ids(db, "SELECT ID FROM #ENTRAPBX_CONTACT WHERE OWNER_ID = ?", userId));
        update(db, "DELETE FROM #ENTRAPBX_CONTACT_FOLDER WHERE OWNER_ID = ?", userId);
    }

    /** A removed component takes every contact it read. */
    public static void deleteComponent(Jdbc db, String componentId) throws SQLException {
        update(db, "DELETE FROM #ENTRAPBX_CONTACT_PHONE WHERE CONTACT_ID IN (SELECT ID FROM #ENTRAPBX_CONTACT WHERE COMPONENT_ID = ?)", componentId);
        update(db, "DELETE FROM #ENTRAPBX_CONTACT WHERE COMPONENT_ID = ?", componentId);
        update(db, "DELETE FROM #ENTRAPBX_CONTACT_FOLDER WHERE COMPONENT_ID = ?", componentId);
    }

    /** A removed Organization takes its phone system's contacts. */
    public static void deleteOrganization(Jdbc db, String organizationId) throws SQLException {
        update(db, "DELETE FROM #ENTRAPBX_CONTACT_PHONE WHERE ORG_ID = ?", organizationId);
        update(db, "DELETE FROM #ENTRAPBX_CONTACT WHERE ORG_ID = ?", organizationId);
        update(db, "DELETE FROM #ENTRAPBX_CONTACT_FOLDER WHERE ORG_ID = ?", organizationId);
    }

    /** A removed realm takes all. */
    public static void deleteRealm(Jdbc db, String realmId) throws SQLException {
        update(db, "DELETE FROM #ENTRAPBX_CONTACT_PHONE WHERE CONTACT_ID IN (SELECT ID FROM #ENTRAPBX_CONTACT WHERE REALM_ID = ?)", realmId);
        update(db, "DELETE FROM #ENTRAPBX_CONTACT WHERE REALM_ID = ?", realmId);
        update(db, "DELETE FROM #ENTRAPBX_CONTACT_FOLDER WHERE REALM_ID = ?", realmId);
    }

    // ---- the stored form ----

    /** The DATA column: what the directory API serves beyond name and company. */
    static String data(Contact c) {
        ObjectNode n = JSON.createObjectNode();
        put(n, "displayName", c.displayName());
        put(n, "givenName", c.givenName());
        put(n, "surname", c.surname());
        put(n, "companyName", c.company());
        put(n, "jobTitle", c.jobTitle());
        put(n, "department", c.department());
        ArrayNode emails = n.putArray("emails");
        c.emails().forEach(emails::add);
        ArrayNode phones = n.putArray("phones");
        for (Contact.Phone p : c.phones()) {
            ObjectNode o = phones.addObject();
            o.put("type", p.kind());
            o.put("number", p.original());
            if (p.e164() != null) {
                o.put("e164", p.e164());
            } else {
                o.putNull("e164");
            }
        }
        return n.toString();
    }

    private static void put(ObjectNode n, String field, String value) {
        if (value == null || value.isBlank()) {
            n.putNull(field);
        } else {
            n.put(field, value);
        }
    }

    // ---- plumbing ----

    /** graphId -> {our id, DATA, FOLDER_ID} of those already stored for the book's mailbox. */
    private static Map<String, String[]> existing(Jdbc db, Book book, List<String> graphIds) throws SQLException {
        Map<String, String[]> out = new HashMap<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT GRAPH_ID, ID, DATA, FOLDER_ID FROM #ENTRAPBX_CONTACT WHERE COMPONENT_ID = ?"
                + " AND MAILBOX = ? AND GRAPH_ID IN (" + Jdbc.marks(graphIds.size()) + ")")) {
            ps.setString(1, book.componentId());
            ps.setString(2, book.mailbox());
            for (int i = 0; i < graphIds.size(); i++) {
                ps.setString(3 + i, graphIds.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3), rs.getString(4)});
                }
            }
        }
        return out;
    }

    private static void deleteContacts(Jdbc db, List<String> ids) throws SQLException {
        deletePhones(db, ids);
        for (int from = 0; from < ids.size(); from += IN) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IN));
            update(db, "DELETE FROM #ENTRAPBX_CONTACT WHERE ID IN (" + Jdbc.marks(chunk.size()) + ")", chunk.toArray());
        }
    }

    private static void deletePhones(Jdbc db, List<String> contactIds) throws SQLException {
        for (int from = 0; from < contactIds.size(); from += IN) {
            List<String> chunk = contactIds.subList(from, Math.min(contactIds.size(), from + IN));
            update(db, "DELETE FROM #ENTRAPBX_CONTACT_PHONE WHERE CONTACT_ID IN (" + Jdbc.marks(chunk.size()) + ")", chunk.toArray());
        }
    }

    private static List<String> ids(Jdbc db, String sql, Object... params) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            Jdbc.set(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static int update(Jdbc db, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            Jdbc.set(ps, params);
            return ps.executeUpdate();
        }
    }

    private static void batch(Jdbc db, String sql, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            for (Object[] row : rows) {
                Jdbc.set(ps, row);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static String cut(String s) {
        return cut(s, 255);
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
