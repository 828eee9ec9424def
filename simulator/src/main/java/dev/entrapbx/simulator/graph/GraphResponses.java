package dev.entrapbx.simulator.graph;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.entrapbx.simulator.http.Request;
import dev.entrapbx.simulator.http.Response;
import dev.entrapbx.simulator.json.Json;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Graph's response conventions: the error body
 * {@code {"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}}
 * (https://learn.microsoft.com/graph/errors) and the request-id / client-request-id headers on every answer.
 */
public final class GraphResponses {
    private static final DateTimeFormatter INNER_DATE = DateTimeFormatter.ISO_LOCAL_DATE_TIME;

    private GraphResponses() { }

    public static Response error(Request request, int status, String code, String message) {
        ObjectNode body = Json.object();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        ObjectNode inner = error.putObject("innerError");
        inner.put("date", INNER_DATE.format(LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS)));
        inner.put("request-id", request.requestId());
        inner.put("client-request-id", clientRequestId(request));
        return withIds(request, Response.json(status, body));
    }

    public static Response error(Request request, GraphException e) {
        Response r = error(request, e.status(), e.code(), e.getMessage());
        e.headers().forEach(r::header);
        return r;
    }

    /** Adds request-id and client-request-id (echoed, or the request id when the client sent none). */
    public static Response withIds(Request request, Response response) {
        response.replaceHeader("request-id", request.requestId());
        response.replaceHeader("client-request-id", clientRequestId(request));
        return response;
    }

    private static String clientRequestId(Request request) {
        return request.header("client-request-id").orElse(request.requestId());
    }
}
