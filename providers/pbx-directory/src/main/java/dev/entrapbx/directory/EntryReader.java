package dev.entrapbx.directory;

import dev.entrapbx.kc.Jdbc;

import dev.entrapbx.sync.EntraUserMapper;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the current {@link Entry} of phone-system members straight from Keycloak's tables (and the
 * sync's photo table), a chunk of users per handful of queries, on the caller's transaction's
 * connection: it sees that transaction's own uncommitted writes, including the sync's bulk inserts.
 */
final class EntryReader {

    /** Users per IN list. */
    static final int CHUNK = 500;

    /** The group attribute that marks the parent group of a phone system's mirrored Entra groups (value: the Organization id). */
    static final String MIRROR_PARENT_ATTRIBUTE = "entrapbx.organization";
    /** The group attribute of a mirrored group: the Entra group object id. */
    static final String ENTRA_GROUP_ATTRIBUTE = "entraGroupId";

    private static final List<String> ATTRIBUTES = List.of(EntraUserMapper.ATTR_EXTENSION, EntraUserMapper.ATTR_FLAG, "displayName",
            "jobTitle", "department", "businessPhones", "mobilePhone", "officeLocation", EntraUserMapper.ATTR_OID,
            EntraUserMapper.ATTR_TENANT);

    /** The phone system's current members, and which of the asked users exist at all (to tell "deleted" from "left"). */
    record Members(Map<String, Entry> entries, Set<String> existing) {
    }

    private final Jdbc db;
    private final String realmId;
    private final String organizationId;
    private String orgGroupId;
    private String orgAlias;
    private boolean extensionsOff;
    private String region;
    private Optional<String> mirrorParent;

    EntryReader(Jdbc db, String realmId, String organizationId) {
        this.db = db;
        this.realmId = realmId;
        this.organizationId = organizationId;
    }

    /** The Organization's internal group (its members are the Organization's members); null once the Organization is gone. */
    String organizationGroupId() throws SQLException {
        if (orgGroupId == null) {
            try (PreparedStatement ps = db.prepareStatement("SELECT GROUP_ID, ALIAS FROM #ORG WHERE ID = ?")) {
                ps.setString(1, organizationId);
                try (ResultSet rs = ps.executeQuery()) {
                    orgGroupId = rs.next() ? rs.getString(1) : "";
                    orgAlias = orgGroupId.isEmpty() ? null : rs.getString(2);
                }
            }
        }
        return orgGroupId.isEmpty() ? null : orgGroupId;
    }

    /** The Organization's alias; null once it is gone. */
    String organizationAlias() throws SQLException {
        return organizationGroupId() == null ? null : orgAlias;
    }

    /** The phone system's sync gives no extensions: its synced members without one are {@code extensions-off}. */
    /** The phone system's region for national numbers (null: none set). */
    EntryReader region(String region) {
        this.region = region;
        return this;
    }

    String region() {
        return region;
    }

    EntryReader extensionsOff(boolean off) {
        this.extensionsOff = off;
        return this;
    }

    /** Every member's user id, in id order (service accounts are never members). */
    List<String> memberIds() throws SQLException {
        String group = organizationGroupId();
        List<String> out = new ArrayList<>();
        if (group == null) {
            return out;
        }
        try (PreparedStatement ps = db.prepareStatement("SELECT USER_ID FROM #USER_GROUP_MEMBERSHIP WHERE GROUP_ID = ? ORDER BY USER_ID")) {
            ps.setString(1, group);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** The current entries of those of {@code userIds} that are members now. */
    Members read(Collection<String> userIds) throws SQLException {
        Map<String, Entry> entries = new HashMap<>();
        Set<String> existing = new HashSet<>();
        List<String> ids = List.copyOf(new HashSet<>(userIds));
        for (int i = 0; i < ids.size(); i += CHUNK) {
            readChunk(ids.subList(i, Math.min(ids.size(), i + CHUNK)), entries, existing);
        }
        return new Members(entries, existing);
    }

    private void readChunk(List<String> ids, Map<String, Entry> entries, Set<String> existing) throws SQLException {
        String in = Jdbc.marks(ids.size());
        Map<String, Object[]> users = new HashMap<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT ID, USERNAME, EMAIL, FIRST_NAME, LAST_NAME, ENABLED FROM #USER_ENTITY"
                + " WHERE REALM_ID = ? AND ID IN (" + in + ")")) {
            ps.setString(1, realmId);
            Jdbc.bind(ps, 2, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    users.put(rs.getString(1), new Object[] {rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getBoolean(6)});
                }
            }
        }
        existing.addAll(users.keySet());
        String group = organizationGroupId();
        if (users.isEmpty() || group == null) {
            return;
        }
        Set<String> members = new HashSet<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT USER_ID FROM #USER_GROUP_MEMBERSHIP WHERE GROUP_ID = ? AND USER_ID IN (" + in + ")")) {
            ps.setString(1, group);
            Jdbc.bind(ps, 2, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    members.add(rs.getString(1));
                }
            }
        }
        members.retainAll(users.keySet());
        if (members.isEmpty()) {
            return;
        }
        List<String> memberList = List.copyOf(members);
        String memberIn = Jdbc.marks(memberList.size());
        Map<String, Map<String, List<String>>> attributes = new HashMap<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT USER_ID, NAME, VALUE, LONG_VALUE FROM #USER_ATTRIBUTE WHERE USER_ID IN ("
                + memberIn + ") AND NAME IN (" + Jdbc.marks(ATTRIBUTES.size()) + ")")) {
            int next = Jdbc.bind(ps, 1, memberList);
            Jdbc.bind(ps, next, ATTRIBUTES);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String value = rs.getString(3);
                    if (value == null) {
                        value = rs.getString(4);
                    }
                    if (value != null) {
                        attributes.computeIfAbsent(rs.getString(1), k -> new HashMap<>())
                                .computeIfAbsent(rs.getString(2), k -> new ArrayList<>()).add(value);
                    }
                }
            }
        }
        Map<String, String> photos = new HashMap<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT USER_ID, ETAG FROM #ENTRAPBX_USER_PHOTO WHERE USER_ID IN (" + memberIn + ")")) {
            Jdbc.bind(ps, 1, memberList);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    photos.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        Map<String, List<Entry.Group>> groups = new HashMap<>();
        Optional<String> parent = mirrorParent();
        if (parent.isPresent()) {
            try (PreparedStatement ps = db.prepareStatement("SELECT m.USER_ID, g.ID, g.NAME, a.VALUE FROM #USER_GROUP_MEMBERSHIP m"
                    + " JOIN #KEYCLOAK_GROUP g ON g.ID = m.GROUP_ID"
                    + " LEFT JOIN #GROUP_ATTRIBUTE a ON a.GROUP_ID = g.ID AND a.NAME = ?"
                    + " WHERE g.PARENT_GROUP = ? AND m.USER_ID IN (" + memberIn + ")")) {
                ps.setString(1, ENTRA_GROUP_ATTRIBUTE);
                ps.setString(2, parent.get());
                Jdbc.bind(ps, 3, memberList);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        groups.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                                .add(new Entry.Group(rs.getString(2), rs.getString(3), rs.getString(4)));
                    }
                }
            }
        }
        for (String id : memberList) {
            Object[] u = users.get(id);
            Map<String, List<String>> a = attributes.getOrDefault(id, Map.of());
            String extension = first(a, EntraUserMapper.ATTR_EXTENSION);
            String status = extension != null ? Entry.ASSIGNED
                    : EntraUserMapper.FLAG_RANGE_EXHAUSTED.equals(first(a, EntraUserMapper.ATTR_FLAG)) ? Entry.RANGE_EXHAUSTED
                    : extensionsOff && first(a, EntraUserMapper.ATTR_OID) != null ? Entry.EXTENSIONS_OFF : Entry.NONE;
            List<String> phones = new ArrayList<>(a.getOrDefault("businessPhones", List.of()));
            phones.sort(Comparator.naturalOrder()); // Keycloak keeps no order among an attribute's values
            List<Entry.Group> mine = new ArrayList<>(groups.getOrDefault(id, List.of()));
            mine.sort(Comparator.comparing(Entry.Group::id));
            entries.put(id, new Entry(id, (String) u[0], (String) u[1], first(a, "displayName"), (String) u[2], (String) u[3],
                    (Boolean) u[4], extension, status, first(a, "jobTitle"), first(a, "department"), phones, first(a, "mobilePhone"),
                    first(a, "officeLocation"), first(a, EntraUserMapper.ATTR_OID), first(a, EntraUserMapper.ATTR_TENANT),
                    photos.get(id), mine));
        }
    }

    /** The top-level group holding this phone system's mirrored Entra groups, if groups are mirrored. */
    Optional<String> mirrorParent() throws SQLException {
        if (mirrorParent == null) {
            try (PreparedStatement ps = db.prepareStatement("SELECT g.ID FROM #KEYCLOAK_GROUP g JOIN #GROUP_ATTRIBUTE a ON a.GROUP_ID = g.ID"
                    + " WHERE g.REALM_ID = ? AND a.NAME = ? AND a.VALUE = ? ORDER BY g.ID")) {
                ps.setString(1, realmId);
                ps.setString(2, MIRROR_PARENT_ATTRIBUTE);
                ps.setString(3, organizationId);
                try (ResultSet rs = ps.executeQuery()) {
                    mirrorParent = rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        }
        return mirrorParent;
    }

    private static String first(Map<String, List<String>> attributes, String name) {
        List<String> v = attributes.get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        return v.size() == 1 ? v.get(0) : v.stream().sorted().findFirst().orElseThrow(); // a single-valued attribute holding several: stable pick
    }
}
