package dev.entrapbx.simulator.graph;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.entrapbx.simulator.http.Request;
import dev.entrapbx.simulator.json.Json;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Builds Graph collection bodies and their @odata links. */
final class Links {
    private Links() { }

    /** The request URL with {@code $skiptoken} replaced, keeping the caller's other options as sent. */
    static String next(String baseUrl, Request req, String skipToken) {
        List<String> parts = new ArrayList<>();
        if (req.rawQuery() != null) {
            for (String p : req.rawQuery().split("&")) {
                String name = p.contains("=") ? p.substring(0, p.indexOf('=')) : p;
                String decoded = URLDecoder.decode(name, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
                if (!p.isEmpty() && !decoded.equals("$skiptoken")) {
                    parts.add(p);
                }
            }
        }
        parts.add("$skiptoken=" + URLEncoder.encode(skipToken, StandardCharsets.UTF_8));
        return baseUrl + req.path() + "?" + String.join("&", parts);
    }

    static ObjectNode collection(String context) {
        ObjectNode body = Json.object();
        body.put("@odata.context", context);
        return body;
    }

    /** Finishes a collection body: optional count and next link, then the values (Graph's key order). */
    static ObjectNode page(String context, Long count, String nextLink, List<ObjectNode> values) {
        ObjectNode body = collection(context);
        if (count != null) {
            body.put("@odata.count", count);
        }
        if (nextLink != null) {
            body.put("@odata.nextLink", nextLink);
        }
        ArrayNode arr = body.putArray("value");
        values.forEach(arr::add);
        return body;
    }

    static String context(String baseUrl, String entitySet, List<String> select) {
        return baseUrl + "/v1.0/$metadata#" + entitySet + (select == null ? "" : "(" + String.join(",", select) + ")");
    }
}
