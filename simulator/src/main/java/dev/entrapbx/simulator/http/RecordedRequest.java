package dev.entrapbx.simulator.http;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A request as the simulator received it, kept so tests can assert what a client sent. */
public record RecordedRequest(Instant receivedAt, String method, String path, String rawQuery,
                              Map<String, List<String>> headers) {

    /** First value of a header, matched case-insensitively. */
    public Optional<String> header(String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return Optional.of(e.getValue().get(0));
            }
        }
        return Optional.empty();
    }
}
