package dev.entrapbx.simulator.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.entrapbx.simulator.json.Json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An HTTP response produced by a handler; faults may rewrite it before it is written. */
public final class Response {
    /** How the body reaches the client. */
    public enum Delivery {
        /** Normal response. */
        COMPLETE,
        /** Headers announce the full length, then the connection closes after {@link #cutAfterBytes()} bytes. */
        CUT_MID_BODY,
        /** The connection is closed without any response. */
        DROP_CONNECTION
    }

    private final int status;
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private byte[] body;
    private Delivery delivery = Delivery.COMPLETE;
    private int cutAfterBytes = -1;

    private Response(int status, String contentType, byte[] body) {
        this.status = status;
        this.body = body == null ? new byte[0] : body;
        if (contentType != null) {
            header("Content-Type", contentType);
        }
    }

    public static Response json(int status, JsonNode node) {
        return new Response(status, "application/json; charset=utf-8", Json.bytes(node));
    }

    /** Graph's OData JSON content type. */
    public static Response odata(int status, JsonNode node) {
        return new Response(status,
                "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8",
                Json.bytes(node));
    }

    public static Response html(int status, String html) {
        Response r = new Response(status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
        r.header("Cache-Control", "no-store, no-cache");
        return r;
    }

    public static Response text(int status, String text) {
        return new Response(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    public static Response bytes(int status, String contentType, byte[] body) {
        return new Response(status, contentType, body);
    }

    public static Response empty(int status) {
        return new Response(status, null, new byte[0]);
    }

    public static Response redirect(String location) {
        Response r = new Response(302, null, new byte[0]);
        r.header("Location", location);
        r.header("Cache-Control", "no-store, no-cache");
        return r;
    }

    public Response header(String name, String value) {
        headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        return this;
    }

    public Response replaceHeader(String name, String value) {
        headers.remove(name);
        return header(name, value);
    }

    public Optional<String> headerValue(String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return Optional.of(e.getValue().get(0));
            }
        }
        return Optional.empty();
    }

    public int status() { return status; }
    public Map<String, List<String>> headers() { return headers; }
    public byte[] body() { return body; }
    public String bodyText() { return new String(body, StandardCharsets.UTF_8); }
    public Delivery delivery() { return delivery; }
    public int cutAfterBytes() { return cutAfterBytes; }

    public Response body(byte[] newBody) {
        this.body = newBody;
        return this;
    }

    public Response cutMidBody(int bytes) {
        this.delivery = Delivery.CUT_MID_BODY;
        this.cutAfterBytes = bytes;
        return this;
    }

    public Response dropConnection() {
        this.delivery = Delivery.DROP_CONNECTION;
        return this;
    }

    public boolean isJson() {
        return headerValue("Content-Type").map(ct -> ct.startsWith("application/json")).orElse(false);
    }
}
