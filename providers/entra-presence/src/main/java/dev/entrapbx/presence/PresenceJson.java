package dev.entrapbx.presence;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.keycloak.util.JsonSerialization;

/** A member's presence as {@code GET .../presence} lists it and a {@code presence.changed} feed row carries it. */
public final class PresenceJson {

    private PresenceJson() {
    }

    public static Map<String, Object> map(String userId, Presence p, long changedAt) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("userId", userId);
        m.put("availability", p.availability());
        m.put("activity", p.activity());
        m.put("outOfOffice", p.outOfOffice());
        m.put("source", p.source().id());
        m.put("since", Instant.ofEpochMilli(changedAt).toString());
        return m;
    }

    public static String item(String userId, Presence p, long changedAt) {
        try {
            return JsonSerialization.writeValueAsString(map(userId, p, changedAt));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
