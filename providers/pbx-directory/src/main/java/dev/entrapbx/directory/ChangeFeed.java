package dev.entrapbx.directory;

import dev.entrapbx.kc.Jdbc;
import dev.entrapbx.kc.Db;

import java.net.URI;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.keycloak.models.KeycloakSession;

/**
 * The change feed as the rest of the module sees it: how a feed row and an entry are rendered (the
 * one rendering that {@code /realms/{realm}/pbx} answers with and that webhooks deliver), and read
 * access to a phone system's feed position and rows on a session's transaction.
 */
public final class ChangeFeed {

    /** JDBC work on the session's transaction connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Jdbc db) throws SQLException;
    }

    /** A phone system's feed position: the last sequence number given, and the last one removed by retention. */
    public record Head(long seq, long purgedThrough) {
    }

    /** One feed row, in the shape the API renders (see {@link Renderer#change}). */
    public record Row(long seq, String userId, String type, String data, long createdAt) {
    }

    private ChangeFeed() {
    }

    /** Runs JDBC work on the session's own transaction (after a flush). */
    public static <T> T run(KeycloakSession session, Work<T> work) {
        return Db.run(session, "PBX directory", work::run);
    }

    /** The phone system's feed position; empty when its feed has not started. */
    public static Optional<Head> head(Jdbc db, String organizationId) throws SQLException {
        return FeedStore.head(db, organizationId, false).map(h -> new Head(h.seq(), h.purgedThrough()));
    }

    /** The feed positions of a realm's phone systems whose feeds have started, by Organization id. */
    public static Map<String, Head> heads(Jdbc db, String realmId) throws SQLException {
        Map<String, Head> out = new LinkedHashMap<>();
        for (String org : FeedStore.organizations(db, realmId)) {
            head(db, org).ifPresent(h -> out.put(org, h));
        }
        return out;
    }

    /** Feed rows after {@code after}, in sequence order. */
    public static List<Row> after(Jdbc db, String organizationId, long after, int limit) throws SQLException {
        List<Row> out = new ArrayList<>();
        for (FeedStore.ChangeRow r : FeedStore.changes(db, organizationId, after, limit)) {
            out.add(new Row(r.seq(), r.userId(), r.type(), r.data(), r.createdAt()));
        }
        return out;
    }

    /** JSON as the API writes it (absent values stay visible as null). */
    public static String json(Object value) {
        return Json.write(value);
    }

    /** The API's cursor of a sequence number in a phone system's feed. */
    public static String cursor(String organizationId, long seq) {
        return Cursors.feed(organizationId, seq);
    }

    /**
     * Renders feed rows and entries as the API shows them. Photos are URLs under {@code baseUri}
     * (Keycloak's base URL, e.g. {@code https://login.example.com/}) of the realm.
     */
    public static Renderer renderer(URI baseUri, String realmName) {
        return new Renderer(baseUri, realmName);
    }

    /** See {@link #renderer}. */
    public static final class Renderer {

        private static final String PHOTO_KEY = ",\"photoEtag\":";

        private final URI baseUri;
        private final String realmName;

        private Renderer(URI baseUri, String realmName) {
            this.baseUri = baseUri;
            this.realmName = realmName;
        }

        /** A feed row as the API shows it. */
        public Map<String, Object> change(String organizationId, Row r) {
            if (r.type().equals(PresenceRow.TYPE)) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("cursor", Cursors.feed(organizationId, r.seq()));
                m.put("type", r.type());
                m.put("at", Instant.ofEpochMilli(r.createdAt()).toString());
                m.put("userId", r.userId());
                m.put("presence", Json.read(r.data(), com.fasterxml.jackson.databind.JsonNode.class).path("presence"));
                return m;
            }
            if (r.type().startsWith(ContactRow.PREFIX)) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("cursor", Cursors.feed(organizationId, r.seq()));
                m.put("type", r.type());
                m.put("at", Instant.ofEpochMilli(r.createdAt()).toString());
                m.put("contactId", r.userId());
                m.put("contact", Json.read(r.data(), com.fasterxml.jackson.databind.JsonNode.class).path("contact"));
                return m;
            }
            FeedWriter.ChangeBody body = Json.read(r.data(), FeedWriter.ChangeBody.class);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cursor", Cursors.feed(organizationId, r.seq()));
            m.put("type", r.type());
            m.put("at", Instant.ofEpochMilli(r.createdAt()).toString());
            m.put("userId", r.userId());
            m.put("fields", body.fields());
            if (body.reason() != null) {
                m.put("reason", body.reason());
            }
            m.put("user", entry(body.user()));
            return m;
        }

        /** An entry as the API shows it: the photo as a URL with its ETag. */
        public Map<String, Object> entry(Entry e) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = Json.MAPPER.convertValue(e, LinkedHashMap.class);
            m.remove("photoEtag");
            m.put("photo", e.photoEtag() == null ? null : Map.of("url", photoUrl(e.id()), "etag", e.photoEtag()));
            return m;
        }

        /**
         * A stored entry (its JSON as {@link FeedWriter} wrote it) as the API shows it, without
         * parsing it: {@code "photoEtag": X} becomes {@code "photo": {"url": ..., "etag": X}} or
         * {@code "photo": null}. The full read of a large phone system is mostly this, once per
         * member. The key is found as written by our own serializer: inside a JSON string a quote
         * is always escaped, so {@code ,"photoEtag":} cannot occur in a value.
         */
        public String entryJson(String stored, String userId) {
            int at = stored.indexOf(PHOTO_KEY);
            if (at < 0) {
                return Json.write(entry(Json.read(stored, Entry.class)));
            }
            int value = at + PHOTO_KEY.length();
            if (stored.startsWith("null", value)) {
                return stored.substring(0, at) + ",\"photo\":null" + stored.substring(value + 4);
            }
            int end = endOfString(stored, value);
            if (end < 0) {
                return Json.write(entry(Json.read(stored, Entry.class)));
            }
            return stored.substring(0, at) + ",\"photo\":{\"url\":" + Json.write(photoUrl(userId)) + ",\"etag\":"
                    + stored.substring(value, end + 1) + "}" + stored.substring(end + 1);
        }

        /** The index of the closing quote of the JSON string starting at {@code start}; -1 when there is none. */
        private static int endOfString(String s, int start) {
            if (start >= s.length() || s.charAt(start) != '"') {
                return -1;
            }
            for (int i = start + 1; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    return i;
                }
            }
            return -1;
        }

        String photoUrl(String userId) {
            String base = baseUri.toString().endsWith("/") ? baseUri.toString() : baseUri + "/";
            try { // each segment percent-encoded as a path (not a form) would be
                return base + new URI(null, null, "realms/" + realmName + "/entra-photos/" + userId, null).toASCIIString();
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException("photo URL of " + userId + ": " + e.getMessage(), e);
            }
        }
    }
}
