package dev.entrapbx.simulator.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/** Follows @odata.nextLink until an @odata.deltaLink arrives, as a sync client does. */
public record DeltaRound(List<JsonNode> items, int pages, String deltaLink) {

    public static DeltaRound run(String firstUrl, BiFunction<String, Integer, JsonNode> fetch) {
        List<JsonNode> items = new ArrayList<>();
        String url = firstUrl;
        int pages = 0;
        while (true) {
            JsonNode page = fetch.apply(url, pages);
            pages++;
            page.get("value").forEach(items::add);
            if (page.has("@odata.deltaLink")) {
                return new DeltaRound(items, pages, page.get("@odata.deltaLink").asText());
            }
            if (!page.has("@odata.nextLink")) {
                throw new AssertionError("Page without nextLink or deltaLink: " + page);
            }
            url = page.get("@odata.nextLink").asText();
        }
    }

    public JsonNode item(String id) {
        return items.stream().filter(i -> i.path("id").asText().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("No item " + id + " in " + items));
    }

    public List<String> ids() {
        return items.stream().map(i -> i.path("id").asText()).toList();
    }
}
