package dev.entrapbx.simulator.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.entrapbx.simulator.directory.Directory;
import dev.entrapbx.simulator.http.Response;
import dev.entrapbx.simulator.json.Json;
import dev.entrapbx.simulator.model.User;
import dev.entrapbx.simulator.presence.PresenceState;
import dev.entrapbx.simulator.presence.PresenceStore;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Teams presence: presence-get ({@code /users/{id}/presence}, {@code /communications/presences/{id}}),
 * cloudcommunications-getpresencesbyuserid (up to 650 ids), presence-setpresence and presence-clearpresence.
 */
final class PresenceResource {
    static final int MAX_IDS = 650;
    private static final Pattern GUID = Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    private static final Duration MIN_EXPIRATION = Duration.ofMinutes(5);
    private static final Duration MAX_EXPIRATION = Duration.ofHours(4);

    private final String baseUrl;
    private final Directory directory;
    private final PresenceStore store;

    PresenceResource(String baseUrl, Directory directory, PresenceStore store) {
        this.baseUrl = baseUrl;
        this.directory = directory;
        this.store = store;
    }

    Response userPresence(GraphRequest g) {
        User u = user(g, g.http().pathVariable("id"), false);
        ObjectNode o = Json.object();
        o.put("@odata.context", baseUrl + "/v1.0/$metadata#users('" + g.http().pathVariable("id") + "')/presence/$entity");
        return Response.odata(200, render(o, u.id(), store.shown(g.tenantId(), u.id())));
    }

    Response communicationsPresence(GraphRequest g) {
        User u = user(g, g.http().pathVariable("id"), true);
        ObjectNode o = Json.object();
        o.put("@odata.context", baseUrl + "/v1.0/$metadata#communications/presences/$entity");
        return Response.odata(200, render(o, u.id(), store.shown(g.tenantId(), u.id())));
    }

    Response presencesByUserId(GraphRequest g) {
        JsonNode body = body(g);
        JsonNode ids = body.get("ids");
        if (ids == null || !ids.isArray()) {
            throw GraphException.badRequest("BadRequest", "The request body must contain the 'ids' collection.");
        }
        if (ids.size() > MAX_IDS) {
            throw GraphException.badRequest("BadRequest", "The number of ids (" + ids.size()
                    + ") exceeds the maximum of " + MAX_IDS + " user IDs per request.");
        }
        ObjectNode page = Json.object();
        page.put("@odata.context", baseUrl + "/v1.0/$metadata#Collection(microsoft.graph.presence)");
        ArrayNode values = page.putArray("value");
        for (JsonNode idNode : ids) {
            String id = idNode.asText();
            if (!GUID.matcher(id).matches()) {
                throw GraphException.badRequest("BadRequest", "Invalid user id '" + id + "': ids must be user object ids.");
            }
            PresenceState shown = directory.user(g.tenantId(), id).map(u -> store.shown(g.tenantId(), u.id()))
                    .orElse(PresenceState.UNKNOWN);
            values.add(render(Json.object(), id.toLowerCase(Locale.ROOT), shown));
        }
        return Response.odata(200, page);
    }

    Response setPresence(GraphRequest g) {
        User u = user(g, g.http().pathVariable("id"), false);
        JsonNode b = body(g);
        String sessionId = required(b, "sessionId");
        checkSessionId(g, sessionId);
        String availability = required(b, "availability");
        String activity = required(b, "activity");
        String combination = canonical(PresenceState.AVAILABILITIES, availability) + "/"
                + canonical(PresenceState.ACTIVITIES, activity);
        if (!PresenceState.SET_PRESENCE_COMBINATIONS.contains(combination)) {
            throw GraphException.badRequest("BadRequest", "The availability/activity combination '" + availability
                    + "/" + activity + "' is not supported. Supported: " + PresenceState.SET_PRESENCE_COMBINATIONS + ".");
        }
        String expirationText = Json.textOrNull(b, "expirationDuration");
        Duration expiration = MIN_EXPIRATION;
        if (expirationText != null) {
            try {
                expiration = Duration.parse(expirationText);
            } catch (DateTimeParseException e) {
                throw GraphException.badRequest("BadRequest", "expirationDuration '" + expirationText
                        + "' is not an ISO 8601 duration.");
            }
            if (expiration.compareTo(MIN_EXPIRATION) < 0 || expiration.compareTo(MAX_EXPIRATION) > 0) {
                throw GraphException.badRequest("BadRequest", "expirationDuration must be between PT5M and PT4H.");
            }
        }
        requireLicence(g, u);
        String[] pair = combination.split("/");
        store.setPresence(g.tenantId(), u.id(), g.principal().appId(), sessionId, pair[0], pair[1], expiration,
                expirationText);
        return Response.empty(200);
    }

    Response clearPresence(GraphRequest g) {
        User u = user(g, g.http().pathVariable("id"), false);
        JsonNode b = body(g);
        String sessionId = required(b, "sessionId");
        checkSessionId(g, sessionId);
        requireLicence(g, u);
        if (!store.clearPresence(g.tenantId(), u.id(), g.principal().appId(), sessionId)) {
            throw new GraphException(404, "NotFound", "The presence session '" + sessionId + "' does not exist.");
        }
        return Response.empty(200);
    }

    /** setPresence: "Provide the ID of the application as sessionId in the request." */
    private static void checkSessionId(GraphRequest g, String sessionId) {
        if (g.principal().appOnly() && !sessionId.equalsIgnoreCase(g.principal().appId())) {
            throw GraphException.badRequest("BadRequest", "The sessionId must be the ID of the calling application.");
        }
    }

    private void requireLicence(GraphRequest g, User u) {
        if (!store.licensed(g.tenantId(), u.id())) {
            throw new GraphException(404, "NotFound", "The user " + u.id() + " has no Teams presence (no Teams licence).");
        }
    }

    private static ObjectNode render(ObjectNode o, String id, PresenceState p) {
        o.put("id", id);
        o.put("availability", p.availability());
        o.put("activity", p.activity());
        o.putNull("statusMessage");
        ObjectNode oof = o.putObject("outOfOfficeSettings");
        oof.put("message", p.outOfOfficeMessage());
        oof.put("isOutOfOffice", p.outOfOffice());
        return o;
    }

    private User user(GraphRequest g, String id, boolean guidOnly) {
        if (guidOnly && !GUID.matcher(id).matches()) {
            throw GraphException.badRequest("BadRequest", "Invalid user id '" + id + "': use the user's object id.");
        }
        return directory.user(g.tenantId(), id).orElseThrow(() -> GraphException.notFound(id));
    }

    private static String canonical(java.util.List<String> values, String v) {
        for (String s : values) {
            if (s.equalsIgnoreCase(v)) {
                return s;
            }
        }
        return v;
    }

    private static JsonNode body(GraphRequest g) {
        try {
            JsonNode b = g.http().body().length == 0 ? null : Json.parse(g.http().body());
            if (b == null || !b.isObject()) {
                throw GraphException.badRequest("BadRequest", "A JSON object request body is required.");
            }
            return b;
        } catch (IllegalArgumentException e) {
            throw GraphException.badRequest("BadRequest", "The request body is not valid JSON.");
        }
    }

    private static String required(JsonNode b, String field) {
        String v = Json.textOrNull(b, field);
        if (v == null || v.isBlank()) {
            throw GraphException.badRequest("BadRequest", "The '" + field + "' parameter is required.");
        }
        return v;
    }
}
