package dev.entrapbx.simulator.control;

import com.fasterxml.jackson.databind.JsonNode;
import dev.entrapbx.simulator.http.Request;
import dev.entrapbx.simulator.json.Json;

/** The control API's request bodies: JSON required, required fields named in the error. */
final class ControlBodies {

    private ControlBodies() {
    }

    static JsonNode body(Request req) {
        if (req.body().length == 0) {
            throw new IllegalArgumentException("A JSON request body is required");
        }
        return Json.parse(req.body());
    }

    static String require(JsonNode b, String field) {
        String v = Json.textOrNull(b, field);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("Field '" + field + "' is required");
        }
        return v;
    }
}
