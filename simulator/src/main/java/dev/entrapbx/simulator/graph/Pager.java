package dev.entrapbx.simulator.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.entrapbx.simulator.json.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Keyset paging over id-ordered maps: a page starts after the last id of the previous page, so paging 100,000
 * objects costs one tree lookup per page and never copies the collection.
 */
final class Pager {
    /** One page: rendered values, the cursor for the next page (null when last) and the total when counted. */
    record Page(List<ObjectNode> values, String nextCursor, Long count) { }

    private Pager() { }

    static <T> Page byId(NavigableMap<String, T> all, String afterId, int size, Predicate<T> filter,
                         Function<T, ObjectNode> render, boolean withCount) {
        NavigableMap<String, T> view = afterId == null ? all : all.tailMap(afterId, false);
        List<ObjectNode> values = new ArrayList<>(Math.min(size, 1024));
        String last = null;
        boolean more = false;
        for (var e : view.entrySet()) {
            if (!filter.test(e.getValue())) {
                continue;
            }
            if (values.size() == size) {
                more = true;
                break;
            }
            values.add(render.apply(e.getValue()));
            last = e.getKey();
        }
        Long count = withCount ? all.values().stream().filter(filter).count() : null;
        return new Page(values, more ? last : null, count);
    }

    static <T> Page byOffset(List<T> all, int offset, int size, Function<T, ObjectNode> render, boolean withCount) {
        int end = Math.min(all.size(), offset + size);
        List<ObjectNode> values = new ArrayList<>(Math.max(0, end - offset));
        for (int i = offset; i < end; i++) {
            values.add(render.apply(all.get(i)));
        }
        return new Page(values, end < all.size() ? String.valueOf(end) : null, withCount ? (long) all.size() : null);
    }

    /** Seals a list cursor bound to a tenant and a collection. */
    static String token(PageTokens tokens, String tenantId, String collection, String cursor) {
        ObjectNode state = Json.object();
        state.put("k", collection);
        state.put("t", tenantId);
        state.put("c", cursor);
        return tokens.seal(state);
    }

    /** Opens a list cursor; a foreign or tampered token is a 400. */
    static String cursor(PageTokens tokens, String token, String tenantId, String collection) {
        if (token == null) {
            return null;
        }
        JsonNode state = tokens.open(token).orElseThrow(() -> invalid());
        if (!collection.equals(state.path("k").asText()) || !tenantId.equals(state.path("t").asText())) {
            throw invalid();
        }
        return state.path("c").asText();
    }

    private static GraphException invalid() {
        return GraphException.badRequest("Request_BadRequest", "Invalid $skiptoken: it was not issued for this request.");
    }
}
