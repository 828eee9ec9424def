package dev.entrapbx.graph;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import dev.entrapbx.kc.Meters;
import org.jboss.logging.Logger;

/**
 * The one retry policy for Graph, as an OkHttp interceptor in place of Kiota's RetryHandler. It sees
 * every request (each page, each {@code $batch}), and each costs at most {@code 1 + maxRetries}
 * requests, whatever went wrong:
 * <ul>
 * <li>429, 503 and 504 (with or without an OData error body) are retried after {@code Retry-After}
 * (seconds or an HTTP date) when Graph sends one, else after an exponential backoff with full
 * jitter; every wait is capped at {@code maxDelay}. Any other status is passed on at once.</li>
 * <li>A read that fails on the wire (reset, cut body) is retried the same way, for requests that
 * only read (GET, and a {@code $batch} of GETs).</li>
 * <li>A 2xx answer that cannot be trusted is retried the same way: a JSON body that does not parse,
 * or a delta page without its {@code value} or with neither (or both) of {@code @odata.nextLink}
 * and {@code @odata.deltaLink}.</li>
 * <li>Graph throttles the requests of a JSON batch one by one: the requests answered 429/503/504
 * inside a 200 batch are sent again, alone in a new batch, after the longest of their
 * {@code Retry-After} (else the backoff), and their answers replace the earlier ones. Each such
 * batch is one of the same {@code 1 + maxRetries} requests.</li>
 * </ul>
 * When the retries are used up, the last answer (or error) is passed on. Every request carries
 * {@code x-ms-throttle-priority: low}: a sync is background work, so Graph throttles it before
 * the users' interactive traffic.
 */
public final class GraphRetryInterceptor implements Interceptor {

    private static final Logger LOG = Logger.getLogger(GraphRetryInterceptor.class);
    public static final String PRIORITY_HEADER = "x-ms-throttle-priority";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static final Set<String> DELTA_SEGMENTS = Set.of("delta", "delta()", "microsoft.graph.delta()");
    /**
     * POST actions that may be sent again after an I/O error, like a GET: two that only read
     * ({@code getPresencesByUserId}, {@code getSchedule}) and two whose second call leaves the same state
     * as the first ({@code setPresence} replaces the app's session, {@code clearPresence} of a cleared
     * session answers 404, which the caller takes as done).
     */
    static final Set<String> REPEATABLE_ACTIONS = Set.of("getPresencesByUserId", "getSchedule", "setPresence", "clearPresence");

    private final int maxRetries;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final AtomicInteger retries = new AtomicInteger();

    /**
     * @param maxRetries requests after the first (so at most {@code 1 + maxRetries} per request)
     * @param baseDelay  the backoff's base: the wait before retry n is uniform in [0, base * 2^n]
     * @param maxDelay   the cap of every wait, a {@code Retry-After} included
     */
    public GraphRetryInterceptor(int maxRetries, Duration baseDelay, Duration maxDelay) {
        this.maxRetries = maxRetries;
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
    }

    /** Retries made so far through this interceptor (for the run log). */
    public int retries() {
        return retries.get();
    }

    /** Requests after the first that one request may cost. */
    public int maxRetries() {
        return maxRetries;
    }

    static boolean repeatableAction(Request request) {
        List<String> segments = request.url().pathSegments();
        return "POST".equals(request.method()) && REPEATABLE_ACTIONS.contains(segments.get(segments.size() - 1));
    }

    public static boolean retryable(int status) {
        return status == 429 || status == 503 || status == 504;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = replayable(chain.request().newBuilder().header(PRIORITY_HEADER, "low").build());
        Batch batch = Batch.of(request);
        boolean readOnly = "GET".equals(request.method()) || (batch != null && batch.readOnly()) || repeatableAction(request);
        String what = request.method() + " " + request.url().encodedPath();
        String family = family(request);
        int ioErrors = 0;
        for (int attempt = 0; ; attempt++) {
            boolean last = attempt >= maxRetries;
            Response response;
            try {
                response = buffered(chain.proceed(batch == null ? request : batch.request(request)));
            } catch (InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                Meters.graphRequest(family, 0);
                if (batch != null && batch.answered() && (last || !readOnly)) {
                    return batch.answer(null, request); // what the earlier rounds got; the rest keep their throttled answers
                }
                if (last || !readOnly) {
                    throw e;
                }
                // the first I/O error is most often a pooled connection the server closed meanwhile (what OkHttp's own
                // retryOnConnectionFailure, off here, would retry): sent again at once, later ones after the backoff
                pause(ioErrors++ == 0 ? 0 : backoff(attempt), what, "I/O error " + e.getMessage(), family, "io-error");
                continue;
            }
            int code = response.code();
            Meters.graphRequest(family, code);
            // a batch's answer is read by absorb() below (an unreadable one is retried the same way)
            String untrusted = response.isSuccessful() && batch == null ? untrusted(request, response) : null;
            long wait;
            String why;
            String reason;
            if (retryable(code)) {
                wait = retryAfter(response.header("Retry-After")).orElse(backoff(attempt));
                why = "HTTP " + code;
                reason = code == 429 ? "throttled" : "unavailable";
            } else if (untrusted != null) {
                wait = backoff(attempt);
                why = untrusted;
                reason = "untrusted";
            } else if (batch != null && response.isSuccessful()) {
                Batch.Round round = null;
                String unreadable = null;
                try {
                    round = batch.absorb(response);
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    unreadable = "unreadable JSON (" + e.getOriginalMessage() + ")"; // retried like any unreadable answer
                }
                if (round != null && round.again() == 0) {
                    return batch.answer(response, request);
                }
                wait = round != null && round.retryAfter() >= 0 ? round.retryAfter() : backoff(attempt);
                why = round == null ? unreadable : round.again() + " of its requests throttled or unavailable";
                reason = round == null ? "untrusted" : "batch-throttled";
            } else {
                return batch != null && batch.answered() ? batch.answer(response, request) : response;
            }
            if (last) {
                return batch != null && batch.answered() ? batch.answer(response, request) : response;
            }
            response.close();
            pause(Math.min(wait, maxDelay.toMillis()), what, why, family, reason);
        }
    }

    /** Waits before retrying (counted for the run log and on /metrics). */
    private void pause(long millis, String what, String why, String family, String reason) throws InterruptedIOException {
        retries.incrementAndGet();
        Meters.graphRetry(family, reason);
        LOG.debugf("Graph %s: %s, retrying in %d ms", what, why, millis);
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry a Graph request");
        }
    }

    /** Full jitter: uniform in [0, min(max, base * 2^attempt)], at least 10 ms. */
    long backoff(int attempt) {
        long cap = Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(attempt, 20));
        return Math.max(10, ThreadLocalRandom.current().nextLong(cap + 1));
    }

    /**
     * The endpoint family of a request, for /metrics (a fixed vocabulary: users, groups, photos,
     * batch, presence, calendar, contacts, subscriptions, domains, organization, other).
     */
    static String family(Request request) {
        List<String> segments = request.url().pathSegments();
        for (int i = segments.size() - 1; i >= 0; i--) {
            String s = segments.get(i);
            switch (s) {
                case "$batch":
                    return "batch";
                case "photo":
                case "photos":
                    return "photos";
                case "presence":
                case "presences":
                case "getPresencesByUserId":
                    return "presence";
                case "getSchedule":
                    return "calendar";
                case "contacts":
                case "contactFolders":
                case "childFolders":
                    return "contacts";
                case "subscriptions":
                    return "subscriptions";
                case "domains":
                    return "domains";
                case "organization":
                    return "organization";
                default:
                    break;
            }
        }
        for (String s : segments) {
            if (s.equals("users")) {
                return "users";
            }
            if (s.equals("groups")) {
                return "groups";
            }
        }
        return "other";
    }

    static OptionalLong retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return OptionalLong.empty();
        }
        String h = header.trim();
        try {
            return OptionalLong.of(Math.max(0, Long.parseLong(h)) * 1000);
        } catch (NumberFormatException ignored) {
            // an HTTP date
        }
        try {
            long at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
            return OptionalLong.of(Math.max(0, at - System.currentTimeMillis()));
        } catch (DateTimeParseException e) {
            return OptionalLong.empty();
        }
    }

    /** The request with its body in memory, so a retry sends it again (Kiota's body is a stream, read once). */
    private static Request replayable(Request request) throws IOException {
        RequestBody body = request.body();
        if (body == null) {
            return request;
        }
        Buffer bytes = new Buffer();
        body.writeTo(bytes);
        return request.newBuilder().method(request.method(), RequestBody.create(bytes.readByteArray(), body.contentType())).build();
    }

    /** A JSON answer read to its end here (so a cut body fails here, where it can be retried), else the answer as it is. */
    private static Response buffered(Response response) throws IOException {
        ResponseBody body = response.body();
        if (body == null || !isJson(body.contentType())) {
            return response;
        }
        byte[] bytes;
        try {
            bytes = body.bytes();
        } catch (IOException e) {
            response.close();
            throw e;
        }
        return response.newBuilder().removeHeader("Content-Length").body(ResponseBody.create(bytes, body.contentType())).build();
    }

    private static boolean isJson(MediaType type) {
        return type != null && ("json".equals(type.subtype()) || type.subtype().endsWith("+json"));
    }

    /** Why a 2xx answer cannot be used (an unparseable JSON body; a delta page without value or its one link), or null. */
    static String untrusted(Request request, Response response) throws IOException {
        ResponseBody body = response.body();
        if (response.code() == 204 || body == null || !isJson(body.contentType())) {
            return null;
        }
        List<String> segments = request.url().pathSegments();
        boolean deltaPage = "GET".equals(request.method()) && DELTA_SEGMENTS.contains(segments.get(segments.size() - 1));
        boolean value = false;
        boolean next = false;
        boolean delta = false;
        try (JsonParser p = JSON.getFactory().createParser(response.peekBody(Long.MAX_VALUE).bytes())) {
            JsonToken root = p.nextToken();
            if (root == null) {
                return "an empty body";
            }
            if (root == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken t = p.nextToken();
                    value |= "value".equals(name) && t == JsonToken.START_ARRAY;
                    next |= "@odata.nextLink".equals(name);
                    delta |= "@odata.deltaLink".equals(name);
                    p.skipChildren(); // still read token by token, so a broken body fails here
                }
            } else {
                p.skipChildren();
            }
            if (p.nextToken() != null) {
                return "unreadable JSON (more after the document)";
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return "unreadable JSON (" + e.getOriginalMessage() + ")";
        }
        if (!deltaPage) {
            return null;
        }
        if (!value) {
            return "no 'value' array";
        }
        return next == delta ? (next ? "both @odata.nextLink and @odata.deltaLink"
                : "neither @odata.nextLink nor @odata.deltaLink (incomplete answer)") : null;
    }

    /**
     * A JSON batch being answered: its requests by id, the latest answer to each, and the ones to
     * send again. Batches of dependent requests ({@code dependsOn}) are resent without the
     * dependencies already answered.
     */
    private static final class Batch {

        private final Map<String, ObjectNode> requests = new LinkedHashMap<>();
        private final Map<String, JsonNode> answers = new LinkedHashMap<>();
        private List<String> pending;
        /** How many answers were absorbed. */
        private int rounds;

        /** What one round of the batch left to do: how many requests to send again, after how long (-1: not said). */
        record Round(int again, long retryAfter) {
        }

        /** The batch in this request, or null when it is not a {@code POST $batch} we can read. */
        static Batch of(Request request) throws IOException {
            List<String> segments = request.url().pathSegments();
            if (!"POST".equals(request.method()) || !"$batch".equals(segments.get(segments.size() - 1)) || request.body() == null) {
                return null;
            }
            Buffer bytes = new Buffer();
            request.body().writeTo(bytes);
            JsonNode payload;
            try {
                payload = JSON.readTree(bytes.readByteArray());
            } catch (IOException e) {
                return null; // Graph will say what is wrong with it
            }
            Batch batch = new Batch();
            for (JsonNode step : payload.path("requests")) {
                if (step instanceof ObjectNode o && o.path("id").isTextual() && !batch.requests.containsKey(o.path("id").asText())) {
                    batch.requests.put(o.path("id").asText(), o);
                } else {
                    return null;
                }
            }
            batch.pending = List.copyOf(batch.requests.keySet());
            return batch.requests.isEmpty() ? null : batch;
        }

        boolean readOnly() {
            return requests.values().stream().allMatch(r -> "GET".equalsIgnoreCase(r.path("method").asText()));
        }

        boolean answered() {
            return !answers.isEmpty();
        }

        /** The request for the next round: the batch as sent, or only the requests still to answer. */
        Request request(Request original) {
            if (pending.size() == requests.size()) {
                return original;
            }
            ObjectNode payload = JSON.createObjectNode();
            ArrayNode steps = payload.putArray("requests");
            for (String id : pending) {
                ObjectNode step = requests.get(id).deepCopy();
                if (step.get("dependsOn") instanceof ArrayNode deps) {
                    ArrayNode kept = JSON.createArrayNode();
                    deps.forEach(d -> {
                        if (pending.contains(d.asText())) {
                            kept.add(d);
                        }
                    });
                    if (kept.isEmpty()) {
                        step.remove("dependsOn");
                    } else {
                        step.set("dependsOn", kept);
                    }
                }
                steps.add(step);
            }
            return original.newBuilder().post(RequestBody.create(bytes(payload), JSON_TYPE)).build();
        }

        /** Takes a round's (2xx, parsed) answers; the requests answered 429/503/504 are the next round's. */
        Round absorb(Response response) throws IOException {
            rounds++;
            JsonNode payload = JSON.readTree(response.peekBody(Long.MAX_VALUE).bytes());
            List<String> again = new ArrayList<>();
            long wait = -1;
            for (JsonNode answer : payload.path("responses")) {
                String id = answer.path("id").asText();
                if (!pending.contains(id)) {
                    continue;
                }
                answers.put(id, answer);
                if (retryable(answer.path("status").asInt())) {
                    again.add(id);
                    JsonNode header = headerOf(answer, "Retry-After");
                    OptionalLong after = retryAfter(header == null ? null : header.asText());
                    if (after.isPresent()) {
                        wait = Math.max(wait, after.getAsLong());
                    }
                }
            }
            pending = again;
            return new Round(again.size(), wait);
        }

        /**
         * The batch's answer: the latest answer to each request, in the order they were sent. A batch
         * answered completely in its first round is Graph's own answer, passed on as it is.
         */
        Response answer(Response last, Request request) {
            if (rounds == 1 && pending.isEmpty() && last != null && last.isSuccessful()) {
                return last;
            }
            ObjectNode payload = JSON.createObjectNode();
            ArrayNode out = payload.putArray("responses");
            requests.keySet().stream().map(answers::get).filter(a -> a != null).forEach(out::add);
            Response.Builder b = last != null && last.isSuccessful() ? last.newBuilder()
                    : new Response.Builder().request(request).protocol(okhttp3.Protocol.HTTP_1_1).code(200).message("OK");
            if (last != null) {
                last.close();
            }
            return b.removeHeader("Content-Length").header("Content-Type", JSON_TYPE.toString())
                    .body(ResponseBody.create(bytes(payload), JSON_TYPE)).build();
        }

        private static JsonNode headerOf(JsonNode answer, String name) {
            for (Map.Entry<String, JsonNode> h : answer.path("headers").properties()) {
                if (h.getKey().equalsIgnoreCase(name)) {
                    return h.getValue();
                }
            }
            return null;
        }

        private static byte[] bytes(JsonNode node) {
            try {
                return JSON.writeValueAsBytes(node);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
