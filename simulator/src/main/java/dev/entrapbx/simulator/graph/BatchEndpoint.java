package dev.entrapbx.simulator.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.entrapbx.simulator.http.Request;
import dev.entrapbx.simulator.http.Response;
import dev.entrapbx.simulator.json.Json;

import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code POST /v1.0/$batch}: JSON batching as in https://learn.microsoft.com/graph/json-batching. Up to 20
 * requests ({@code id}, {@code method}, {@code url} relative to the version, optional {@code headers} and
 * {@code body}); each is answered as if it had been sent alone with the batch's Authorization header,
 * through the same faults (Graph throttles the requests of a batch one by one, so a single step can be a 429
 * with its own Retry-After while the batch itself is 200). The answer is
 * {@code {"responses":[{"id","status","headers","body"}]}}: a JSON body embedded as JSON, any other body
 * base64-encoded. {@code dependsOn} is accepted; the steps run in the order given, which satisfies it.
 */
public final class BatchEndpoint {
    static final int MAX_REQUESTS = 20;

    private final Function<Request, Response> dispatch;

    /** @param dispatch answers one inner request (recorded and subject to faults like any other) */
    public BatchEndpoint(Function<Request, Response> dispatch) {
        this.dispatch = dispatch;
    }

    public Response handle(Request batch) {
        JsonNode payload;
        try {
            payload = Json.parse(batch.body());
        } catch (IllegalArgumentException e) {
            return invalid(batch, "Invalid batch payload format.");
        }
        JsonNode requests = payload.path("requests");
        if (!requests.isArray() || requests.isEmpty()) {
            return invalid(batch, "Invalid batch payload format.");
        }
        if (requests.size() > MAX_REQUESTS) {
            return invalid(batch, "The number of batch requests exceeds the limit of " + MAX_REQUESTS + ".");
        }
        Set<String> ids = new HashSet<>();
        for (JsonNode step : requests) {
            String id = step.path("id").asText("");
            if (id.isEmpty() || !step.path("method").isTextual() || !step.path("url").isTextual()) {
                return invalid(batch, "Invalid batch payload format: each request needs an id, a method and a url.");
            }
            if (!ids.add(id)) {
                return invalid(batch, "Batch request ids must be unique: '" + id + "' appears twice.");
            }
        }
        ObjectNode out = Json.object();
        ArrayNode responses = out.putArray("responses");
        for (JsonNode step : requests) {
            Response r = dispatch.apply(inner(batch, step));
            if (r.delivery() != Response.Delivery.COMPLETE) {
                return Response.empty(500).dropConnection(); // a step's connection fault cuts the batch's connection
            }
            responses.add(answer(step, r));
        }
        return GraphResponses.withIds(batch, Response.json(200, out));
    }

    private static Request inner(Request batch, JsonNode step) {
        String url = step.path("url").asText();
        if (url.startsWith("https://") || url.startsWith("http://")) {
            int path = url.indexOf("/v1.0/");
            url = path < 0 ? url : url.substring(path + "/v1.0".length());
        }
        String path = "/v1.0" + (url.startsWith("/") ? url : "/" + url);
        Map<String, String> headers = new LinkedHashMap<>();
        step.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
        batch.header("Authorization").ifPresent(a -> headers.put("Authorization", a));
        batch.header("x-ms-throttle-priority").ifPresent(p -> headers.putIfAbsent("x-ms-throttle-priority", p));
        JsonNode body = step.get("body");
        byte[] bytes = body == null || body.isNull() ? null : Json.bytes(body);
        return Request.of(step.path("method").asText().toUpperCase(java.util.Locale.ROOT), path, headers, bytes);
    }

    private static ObjectNode answer(JsonNode step, Response r) {
        ObjectNode o = Json.object();
        o.put("id", step.path("id").asText());
        o.put("status", r.status());
        ObjectNode headers = o.putObject("headers");
        for (Map.Entry<String, List<String>> h : r.headers().entrySet()) {
            if (!h.getValue().isEmpty() && !h.getKey().equalsIgnoreCase("Content-Length")) {
                headers.put(h.getKey(), h.getValue().get(0));
            }
        }
        byte[] body = r.body();
        if (body.length > 0) {
            JsonNode json = r.isJson() ? parseOrNull(body) : null;
            if (json != null) {
                o.set("body", json);
            } else if (r.isJson()) {
                o.put("body", new String(body, java.nio.charset.StandardCharsets.UTF_8)); // a malformed-JSON fault stays malformed
            } else {
                o.put("body", Base64.getEncoder().encodeToString(body));
            }
        }
        return o;
    }

    private static JsonNode parseOrNull(byte[] body) {
        try {
            return Json.parse(body);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Response invalid(Request batch, String message) {
        return GraphResponses.error(batch, 400, "BadRequest", message);
    }
}
