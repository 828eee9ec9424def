package dev.entrapbx.simulator.graph;

import dev.entrapbx.simulator.http.Request;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The Prefer request header preferences the simulator honours: odata.maxpagesize=N and return=minimal. */
record Prefer(Integer maxPageSize, boolean returnMinimal) {

    static Prefer of(Request request) {
        Integer max = null;
        boolean minimal = false;
        List<String> values = request.headers().getOrDefault("Prefer", List.of());
        for (String header : values) {
            for (String part : header.split(",")) {
                String p = part.trim();
                String lower = p.toLowerCase(Locale.ROOT);
                if (lower.startsWith("odata.maxpagesize=")) {
                    try {
                        max = Integer.parseInt(p.substring("odata.maxpagesize=".length()).trim());
                    } catch (NumberFormatException ignored) {
                        // an unusable preference is ignored, as preferences are optional
                    }
                } else if (lower.equals("return=minimal")) {
                    minimal = true;
                }
            }
        }
        return new Prefer(max, minimal);
    }

    /** The Preference-Applied header value for what was honoured, or null. */
    String applied(Integer usedPageSize) {
        List<String> parts = new ArrayList<>();
        if (maxPageSize != null && usedPageSize != null) {
            parts.add("odata.maxpagesize=" + usedPageSize);
        }
        if (returnMinimal) {
            parts.add("return=minimal");
        }
        return parts.isEmpty() ? null : String.join(", ", parts);
    }
}
