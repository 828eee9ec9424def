package dev.entrapbx.simulator.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** One incoming HTTP request, with its query, form body, cookies and the variables of the matched route. */
public final class Request {
    private static final int MAX_BODY_BYTES = 32 * 1024 * 1024;

    private final String method;
    private final String path;
    private final String rawQuery;
    private final Map<String, String> query;
    private final Headers headers;
    private final byte[] body;
    private final String requestId = UUID.randomUUID().toString();
    private Map<String, String> form;
    private Map<String, String> pathVariables = Map.of();
    private final Map<String, Object> attributes = new HashMap<>();

    Request(String method, String path, String rawQuery, Headers headers, byte[] body) {
        this.method = method.toUpperCase(Locale.ROOT);
        this.path = path;
        this.rawQuery = rawQuery;
        this.query = parseUrlEncoded(rawQuery);
        this.headers = headers;
        this.body = body;
    }

    static Request from(HttpExchange exchange) throws IOException {
        URI uri = exchange.getRequestURI();
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_BODY_BYTES);
        }
        return new Request(exchange.getRequestMethod(), uri.getPath(), uri.getRawQuery(), exchange.getRequestHeaders(), body);
    }

    /** For unit tests and internal re-dispatch. */
    public static Request of(String method, String pathAndQuery, Map<String, String> headers, byte[] body) {
        URI uri = URI.create(pathAndQuery);
        Headers h = new Headers();
        headers.forEach(h::add);
        return new Request(method, uri.getPath(), uri.getRawQuery(), h, body == null ? new byte[0] : body);
    }

    public String method() { return method; }
    public String path() { return path; }
    public String rawQuery() { return rawQuery; }
    public String requestId() { return requestId; }
    public byte[] body() { return body; }
    public String bodyText() { return new String(body, StandardCharsets.UTF_8); }

    /** All query parameters (decoded; the first value wins when a name repeats). */
    public Map<String, String> queryParams() { return Collections.unmodifiableMap(query); }

    /** A query parameter; OData system options ($select, $top...) match case-insensitively as Graph does. */
    public Optional<String> query(String name) {
        String exact = query.get(name);
        if (exact != null) {
            return Optional.of(exact);
        }
        for (Map.Entry<String, String> e : query.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }

    public boolean hasQuery(String name) { return query(name).isPresent(); }

    public Optional<String> header(String name) { return Optional.ofNullable(headers.getFirst(name)); }

    public Map<String, List<String>> headers() { return headers; }

    public String contentType() { return header("Content-Type").orElse(""); }

    /** The application/x-www-form-urlencoded body as a map (empty for other content types). */
    public Map<String, String> form() {
        if (form == null) {
            form = contentType().toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")
                    ? parseUrlEncoded(bodyText()) : Map.of();
        }
        return form;
    }

    public Optional<String> formParam(String name) { return Optional.ofNullable(form().get(name)).filter(v -> !v.isEmpty()); }

    /** GET parameters for GET requests, form fields for POST requests. */
    public Optional<String> param(String name) {
        return "POST".equals(method) ? formParam(name) : query(name).filter(v -> !v.isEmpty());
    }

    public Map<String, String> params() { return "POST".equals(method) ? form() : queryParams(); }

    public Optional<String> cookie(String name) {
        List<String> cookieHeaders = headers.get("Cookie");
        if (cookieHeaders == null) {
            return Optional.empty();
        }
        for (String header : cookieHeaders) {
            for (String part : header.split(";")) {
                int eq = part.indexOf('=');
                if (eq > 0 && part.substring(0, eq).trim().equals(name)) {
                    return Optional.of(part.substring(eq + 1).trim());
                }
            }
        }
        return Optional.empty();
    }

    /** Bearer token from the Authorization header, if any. */
    public Optional<String> bearerToken() {
        return header("Authorization")
                .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(h -> h.substring(7).trim());
    }

    /** client_id and secret of an HTTP Basic Authorization header (RFC 6749 section 2.3.1: form-url-encoded parts). */
    public Optional<String[]> basicCredentials() {
        return header("Authorization")
                .filter(h -> h.regionMatches(true, 0, "Basic ", 0, 6))
                .map(h -> {
                    String decoded;
                    try {
                        decoded = new String(Base64.getDecoder().decode(h.substring(6).trim()), StandardCharsets.UTF_8);
                    } catch (IllegalArgumentException e) {
                        return null;
                    }
                    int colon = decoded.indexOf(':');
                    if (colon < 0) {
                        return null;
                    }
                    return new String[] {
                        URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                        URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)};
                });
    }

    public String pathVariable(String name) {
        String v = pathVariables.get(name);
        if (v == null) {
            throw new IllegalStateException("route has no variable " + name);
        }
        return v;
    }

    void pathVariables(Map<String, String> vars) { this.pathVariables = vars; }

    /** The variables of the matched route template. */
    public Map<String, String> pathVariables() { return Collections.unmodifiableMap(pathVariables); }

    public void attribute(String key, Object value) { attributes.put(key, value); }

    @SuppressWarnings("unchecked")
    public <T> Optional<T> attribute(String key) { return Optional.ofNullable((T) attributes.get(key)); }

    public static Map<String, String> parseUrlEncoded(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.putIfAbsent(key, value);
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
