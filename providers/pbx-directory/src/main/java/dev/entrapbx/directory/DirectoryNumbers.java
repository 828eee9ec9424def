package dev.entrapbx.directory;

import dev.entrapbx.kc.Jdbc;
import dev.entrapbx.sync.contacts.PhoneNumbers;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The members' numbers for the caller-ID lookup ({@code ENTRAPBX_DIR_PHONE}): each member's
 * extension (digits), business phones and mobile phone (E.164 with the phone system's region, and
 * digits), written whenever the member's entry is written, so they follow the same commits.
 */
final class DirectoryNumbers {

    static final String EXTENSION = "extension";

    private DirectoryNumbers() {
    }

    /**
     * Drops the numbers of {@code dropped} (members whose entry changed or who left: they may have
     * numbers stored) and writes those of {@code after}. A member new to the phone system has none
     * stored (numbers are written with entries), so a first import issues no deletes.
     */
    static void write(Jdbc db, String realmId, String organizationId, Map<String, Entry> after, Collection<String> dropped, String region)
            throws SQLException {
        if (!dropped.isEmpty()) {
            try (PreparedStatement ps = db.prepareStatement("DELETE FROM #ENTRAPBX_DIR_PHONE WHERE ORG_ID = ? AND USER_ID = ?")) {
                for (String u : dropped) {
                    ps.setString(1, organizationId);
                    ps.setString(2, u);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        if (after.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO #ENTRAPBX_DIR_PHONE (ORG_ID, USER_ID, POS, REALM_ID, KIND, E164, DIGITS)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            int rows = 0;
            for (Map.Entry<String, Entry> e : after.entrySet()) {
                int pos = 0;
                for (String[] number : numbers(e.getValue(), region)) {
                    ps.setString(1, organizationId);
                    ps.setString(2, e.getKey());
                    ps.setInt(3, pos++);
                    ps.setString(4, realmId);
                    ps.setString(5, number[0]);
                    ps.setString(6, number[1]);
                    ps.setString(7, number[2]);
                    ps.addBatch();
                    rows++;
                }
            }
            if (rows > 0) {
                ps.executeBatch();
            }
        }
    }

    /** What the head records for "indexed without a region". */
    private static final String NO_REGION = "-";

    /**
     * Makes sure the phone system's number index was built with {@code region}: a phone system whose
     * entries predate the index, or whose region changed since, is indexed again from its published
     * entries. The caller holds the head's lock (a writer) or takes it here (a reader), so index and
     * entries change together. True when it re-indexed.
     */
    static boolean ensure(Jdbc db, String realmId, String organizationId, String region, boolean lock) throws SQLException {
        String wanted = regionMark(region);
        String indexed;
        try (PreparedStatement ps = db.prepareStatement("SELECT PHONE_REGION FROM #ENTRAPBX_DIR_HEAD WHERE ORG_ID = ?" + (lock ? " FOR UPDATE" : ""))) {
            ps.setString(1, organizationId);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false; // no feed yet: its start indexes the members
                }
                indexed = rs.getString(1);
            }
        }
        if (wanted.equals(indexed)) {
            return false;
        }
        try (PreparedStatement ps = db.prepareStatement("DELETE FROM #ENTRAPBX_DIR_PHONE WHERE ORG_ID = ?")) {
            ps.setString(1, organizationId);
            ps.executeUpdate();
        }
        String after = null;
        while (true) {
            List<FeedStore.EntryRow> page = FeedStore.entryPage(db, organizationId, after, 1000);
            if (page.isEmpty()) {
                break;
            }
            Map<String, Entry> entries = new java.util.LinkedHashMap<>();
            for (FeedStore.EntryRow r : page) {
                entries.put(r.userId(), Json.read(r.data(), Entry.class));
            }
            write(db, realmId, organizationId, entries, List.of(), region);
            after = page.get(page.size() - 1).userId();
        }
        indexed(db, organizationId, region);
        return true;
    }

    /** What the head records for an index built with {@code region} (null: none). */
    static String regionMark(String region) {
        return region == null ? NO_REGION : region;
    }

    /** Records the region the phone system's numbers are now indexed with. */
    static void indexed(Jdbc db, String organizationId, String region) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("UPDATE #ENTRAPBX_DIR_HEAD SET PHONE_REGION = ? WHERE ORG_ID = ?")) {
            ps.setString(1, regionMark(region));
            ps.setString(2, organizationId);
            ps.executeUpdate();
        }
    }

    /** {kind, e164 or null, digits} of a member's numbers; numbers without digits are left out. */
    static List<String[]> numbers(Entry entry, String region) {
        List<String[]> out = new ArrayList<>();
        if (entry.extension() != null && !PhoneNumbers.digits(entry.extension()).isEmpty()) {
            out.add(new String[] {EXTENSION, null, cut(PhoneNumbers.digits(entry.extension()))});
        }
        for (String phone : entry.businessPhones()) {
            add(out, "business", phone, region);
        }
        add(out, "mobile", entry.mobilePhone(), region);
        return out;
    }

    private static void add(List<String[]> out, String kind, String text, String region) {
        PhoneNumbers.Normalised n = PhoneNumbers.normalise(text, region);
        if (!n.digits().isEmpty()) {
            out.add(new String[] {kind, n.e164(), cut(n.digits())});
        }
    }

    private static String cut(String digits) {
        return digits.length() <= 64 ? digits : digits.substring(0, 64);
    }
}
