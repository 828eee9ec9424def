package dev.entrapbx.directory;

import dev.entrapbx.kc.Db;
import dev.entrapbx.kc.Jdbc;
import dev.entrapbx.sync.contacts.Contact;
import dev.entrapbx.sync.contacts.PhoneNumbers;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * The phone system's contacts ({@code GET .../contacts}) and the caller-ID lookup
 * ({@code GET .../lookup}). Personal contacts are visible to the directory role and to their owner's
 * own token only; for anyone else a user's personal contacts do not exist (404, as for an unknown
 * user). The lookup answers one match, by priority: a member (extension, business or mobile phone),
 * the callee's personal contacts, the company phone book, the organizational contacts.
 */
final class ContactsApi {

    /** Extensions are matched for inputs of at most this many digits (longer ones are phone numbers). */
    static final int MAX_EXTENSION_DIGITS = 8;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final ChangeFeed.Renderer renderer;

    ContactsApi(KeycloakSession session, ChangeFeed.Renderer renderer) {
        this.session = session;
        this.realm = session.getContext().getRealm();
        this.renderer = renderer;
    }

    Response list(DirectoryAccess access, OrganizationModel org, String scope, String userRef, String cursor, int limit) {
        Contact.Source source = source(scope);
        String owner = null;
        if (source == Contact.Source.PERSONAL) {
            owner = owner(access, org, userRef);
        } else if (userRef != null && !userRef.isBlank()) {
            throw DirectoryAccess.error(Response.Status.BAD_REQUEST, "invalid_request", "'user' goes with scope=personal only.", null);
        }
        String after = cursor == null || cursor.isBlank() ? null : parseCursor(org, cursor.trim());
        String ownerId = owner;
        return Db.run(session, "PBX directory", db -> {
            List<String[]> rows = page(db, org.getId(), source, ownerId, after, limit + 1);
            boolean more = rows.size() > limit;
            List<String[]> items = more ? rows.subList(0, limit) : rows;
            StringBuilder out = new StringBuilder(items.size() * 400 + 100).append("{\"items\":[");
            for (int i = 0; i < items.size(); i++) {
                String[] r = items.get(i);
                out.append(i == 0 ? "" : ",").append(item(r[0], r[1], r[2], r[3]));
            }
            String next = more ? Cursors.page(org.getId(), items.get(items.size() - 1)[0]) : null;
            out.append("],\"next\":").append(Json.write(next)).append('}');
            return Response.ok(out.toString(), MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store").build();
        });
    }

    Response lookup(DirectoryAccess access, OrganizationModel org, String number, String calleeRef) {
        if (number == null || PhoneNumbers.digits(number).isEmpty() || number.length() > 64) {
            throw DirectoryAccess.error(Response.Status.BAD_REQUEST, "invalid_request",
                    "'number' is required: the caller's number as the PBX got it (E.164, national format or an extension).", null);
        }
        String callee = calleeRef == null || calleeRef.isBlank() ? (access.user() == null ? null : access.user().getId())
                : owner(access, org, calleeRef);
        String region = PhoneSystems.region(realm, org.getId(), org.getAlias());
        String digits = PhoneNumbers.digits(number);
        PhoneNumbers.Normalised n = PhoneNumbers.normalise(number, region);
        ensureIndexed(org, region);
        return Db.run(session, "PBX directory", db -> {
            Map<String, Object> match = member(db, org.getId(), digits, n);
            if (match == null) {
                match = contact(db, org.getId(), callee, digits, n);
            }
            if (match == null) {
                return Response.status(Response.Status.NOT_FOUND).type(MediaType.APPLICATION_JSON_TYPE)
                        .entity(Json.write(Map.of("error", "not_found", "error_description", "No member or contact has this number.")))
                        .header("Cache-Control", "no-store").build();
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("number", number);
            out.put("e164", n.e164());
            out.putAll(match);
            return Response.ok(Json.write(out), MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store").build();
        });
    }

    /**
     * The members' number index, built with the phone system's region. The usual case costs one read
     * in the request's transaction; a phone system read for the first time gets its feed (which
     * indexes the members), one indexed with another region or before the index existed is indexed
     * again, once, in a transaction of its own under the head's lock.
     */
    private void ensureIndexed(OrganizationModel org, String region) {
        String[] indexed = Db.run(session, "PBX directory", db -> {
            try (PreparedStatement ps = db.prepareStatement("SELECT PHONE_REGION FROM #ENTRAPBX_DIR_HEAD WHERE ORG_ID = ?")) {
                ps.setString(1, org.getId());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? new String[] {rs.getString(1)} : null;
                }
            }
        });
        if (indexed == null) {
            FeedWriter.start(session, realm.getId(), org.getId());
        } else if (!DirectoryNumbers.regionMark(region).equals(indexed[0])) {
            KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(),
                    s -> Db.run(s, "PBX directory", db -> DirectoryNumbers.ensure(db, realm.getId(), org.getId(), region, true)));
        }
    }

    /** A member with this extension (short inputs) or this business / mobile number. */
    private Map<String, Object> member(Jdbc db, String orgId, String digits, PhoneNumbers.Normalised n) throws SQLException {
        String userId = null;
        if (digits.length() <= MAX_EXTENSION_DIGITS) {
            userId = first(db, "SELECT USER_ID FROM #ENTRAPBX_DIR_PHONE WHERE ORG_ID = ? AND DIGITS = ? AND KIND = '"
                    + DirectoryNumbers.EXTENSION + "' ORDER BY USER_ID", orgId, digits);
        }
        if (userId == null && n.parsed()) {
            userId = first(db, "SELECT USER_ID FROM #ENTRAPBX_DIR_PHONE WHERE ORG_ID = ? AND E164 = ? ORDER BY POS, USER_ID", orgId, n.e164());
        }
        if (userId == null) {
            return null;
        }
        String data = first(db, "SELECT DATA FROM #ENTRAPBX_DIR_ENTRY WHERE ORG_ID = ? AND USER_ID = ?", orgId, userId);
        if (data == null) {
            return null;
        }
        Entry e = Json.read(data, Entry.class);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("source", "user");
        out.put("displayName", e.displayName() != null ? e.displayName() : e.username());
        out.put("company", null);
        out.put("userId", e.id());
        out.put("extension", e.extension());
        out.put("photoUrl", e.photoEtag() == null ? null : renderer.photoUrl(e.id()));
        out.put("contactId", null);
        return out;
    }

    /** The best contact with this number: the callee's personal ones, then the company's, then the organizational ones. */
    private Map<String, Object> contact(Jdbc db, String orgId, String callee, String digits, PhoneNumbers.Normalised n) throws SQLException {
        // a parsed input matches numbers in E.164, and stored texts that did not parse by the same digits
        String match = n.parsed() ? "(p.E164 = ? OR (p.E164 IS NULL AND p.DIGITS IN (?, ?)))" : "p.DIGITS = ?";
        String[] best = null;
        int bestRank = Integer.MAX_VALUE;
        try (PreparedStatement ps = db.prepareStatement("SELECT c.ID, c.SOURCE, c.OWNER_ID, c.DISPLAY_NAME, c.COMPANY FROM #ENTRAPBX_CONTACT_PHONE p"
                + " JOIN #ENTRAPBX_CONTACT c ON c.ID = p.CONTACT_ID WHERE p.ORG_ID = ? AND " + match
                + " AND (p.OWNER_ID IS NULL OR p.OWNER_ID = ?) ORDER BY c.ID")) {
            int i = 1;
            ps.setString(i++, orgId);
            if (n.parsed()) {
                ps.setString(i++, n.e164());
                ps.setString(i++, digits);
                ps.setString(i++, n.e164().substring(1));
            } else {
                ps.setString(i++, digits);
            }
            ps.setString(i, callee == null ? "" : callee);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int rank = switch (Contact.Source.of(rs.getString(2))) {
                        case PERSONAL -> 0;
                        case COMPANY -> 1;
                        case ORGANIZATION -> 2;
                    };
                    if (rank < bestRank) {
                        bestRank = rank;
                        best = new String[] {rs.getString(1), rs.getString(2), rs.getString(4), rs.getString(5)};
                    }
                }
            }
        }
        if (best == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("source", best[1]);
        out.put("displayName", best[2]);
        out.put("company", best[3]);
        out.put("userId", null);
        out.put("extension", null);
        out.put("photoUrl", null);
        out.put("contactId", best[0]);
        return out;
    }

    /** The owner whose personal contacts are asked for: a member of the phone system; another user's token gets 404 for anyone else. */
    private String owner(DirectoryAccess access, OrganizationModel org, String userRef) {
        UserModel self = access.user();
        if (userRef == null || userRef.isBlank()) {
            if (self == null) {
                throw DirectoryAccess.error(Response.Status.BAD_REQUEST, "invalid_request", "'user' (a member's id) is required.", null);
            }
            return self.getId();
        }
        String ref = userRef.trim();
        if (self != null) {
            if (ref.equals(self.getId())) {
                return ref;
            }
            throw notFound(); // another user's personal contacts do not exist for this token
        }
        UserModel u = session.users().getUserById(realm, ref);
        if (u == null || !org.isMember(u)) {
            throw notFound();
        }
        return u.getId();
    }

    private static jakarta.ws.rs.WebApplicationException notFound() {
        return DirectoryAccess.error(Response.Status.NOT_FOUND, "not_found", "No such member in this phone system.", null);
    }

    private static Contact.Source source(String scope) {
        String s = scope == null || scope.isBlank() ? "company" : scope.trim().toLowerCase(Locale.ROOT);
        try {
            return Contact.Source.of(s);
        } catch (IllegalArgumentException e) {
            throw DirectoryAccess.error(Response.Status.BAD_REQUEST, "invalid_request",
                    "'scope' is company (the default), personal or organization.", null);
        }
    }

    private static String parseCursor(OrganizationModel org, String cursor) {
        try {
            return Cursors.parsePage(org.getId(), cursor);
        } catch (IllegalArgumentException e) {
            throw DirectoryAccess.error(Response.Status.BAD_REQUEST, "invalid_request", e.getMessage(), null);
        }
    }

    /** {id, source, owner, data} rows in id order after {@code after}. */
    private static List<String[]> page(Jdbc db, String orgId, Contact.Source source, String ownerId, String after, int limit) throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT ID, SOURCE, OWNER_ID, DATA FROM #ENTRAPBX_CONTACT WHERE ORG_ID = ? AND SOURCE = ?"
                + (ownerId == null ? " AND OWNER_ID IS NULL" : " AND OWNER_ID = ?") + " AND ID > ? ORDER BY ID LIMIT ?")) {
            int i = 1;
            ps.setString(i++, orgId);
            ps.setString(i++, source.id());
            if (ownerId != null) {
                ps.setString(i++, ownerId);
            }
            ps.setString(i++, after == null ? "" : after);
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)});
                }
            }
        }
        return out;
    }

    /** A contact as the API lists it: id, source, owner, then the stored fields. */
    static String item(String id, String source, String owner, String data) {
        String body = data.trim();
        String rest = body.length() > 2 ? "," + body.substring(1) : "}";
        return "{\"id\":" + Json.write(id) + ",\"source\":" + Json.write(source) + ",\"owner\":" + Json.write(owner) + rest;
    }

    private static String first(Jdbc db, String sql, String... params) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            ps.setMaxRows(1);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
