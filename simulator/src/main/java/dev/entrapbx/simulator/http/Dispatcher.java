package dev.entrapbx.simulator.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.entrapbx.simulator.fault.FaultRegistry;
import dev.entrapbx.simulator.fault.FaultRule;
import dev.entrapbx.simulator.json.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The single HTTP entry point: records the request, applies an injected fault if one matches, routes it,
 * and writes the response (possibly cut short, as a fault asks).
 */
public final class Dispatcher implements HttpHandler {
    private static final Logger LOG = Logger.getLogger(Dispatcher.class.getName());
    /** Graph's JSON batching endpoint. */
    public static final String BATCH_PATH = "/v1.0/$batch";

    private final Router router;
    private final FaultRegistry faults;
    private final RequestRecorder recorder;
    private final Function<Request, AreaResponses> areaOf;
    private final Function<Request, Optional<String>> tenantHint;
    private final Function<Request, Response> batch;

    /**
     * @param batch answers {@code POST /v1.0/$batch}, given a function that answers one inner request as if it
     *              had come alone (recorded, subject to faults, routed)
     */
    public Dispatcher(Router router, FaultRegistry faults, RequestRecorder recorder,
                      Function<Request, AreaResponses> areaOf, Function<Request, Optional<String>> tenantHint,
                      Function<Function<Request, Response>, Function<Request, Response>> batch) {
        this.batch = batch.apply(this::inner);
        this.router = router;
        this.faults = faults;
        this.recorder = recorder;
        this.areaOf = areaOf;
        this.tenantHint = tenantHint;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            Request request = Request.from(exchange);
            boolean control = request.path().startsWith("/_sim");
            if (!control) {
                recorder.record(request);
            }
            Response response = control ? route(request) : routeWithFaults(request);
            write(exchange, request, response);
        } catch (InjectedDisconnect e) {
            throw e; // the JDK server closes the connection when a handler throws
        } catch (Exception e) {
            LOG.log(Level.WARNING, "Failed to answer " + exchange.getRequestURI(), e);
            exchange.close();
        }
    }

    /** One request of a JSON batch: recorded and answered like a request of its own. */
    private Response inner(Request request) {
        recorder.record(request);
        return routeWithFaults(request);
    }

    private Response routeWithFaults(Request request) {
        String tenant = tenantHint.apply(request).orElse(null);
        Optional<FaultRule> fault = faults.take(request.method(), request.path(), tenant);
        if (fault.isEmpty()) {
            return "POST".equals(request.method()) && BATCH_PATH.equals(request.path()) ? batch.apply(request) : route(request);
        }
        FaultRule rule = fault.get();
        AreaResponses area = areaOf.apply(request);
        switch (rule.kind()) {
            case THROTTLE, SERVICE_UNAVAILABLE, GATEWAY_TIMEOUT, STATUS -> {
                return area.injectedStatus(request, rule.status(), rule.retryAfterSeconds());
            }
            case LATENCY -> {
                sleep(rule.latency().toMillis());
                return route(request);
            }
            case MALFORMED_JSON -> {
                return malformed(route(request));
            }
            case TRUNCATED_PAGE -> {
                return truncatedPage(route(request));
            }
            case CONNECTION_CLOSE -> {
                Response r = route(request);
                return r.cutMidBody(Math.max(1, r.body().length / 2));
            }
            case CONNECTION_RESET -> {
                return Response.empty(500).dropConnection();
            }
            default -> throw new IllegalStateException("unhandled fault " + rule.kind());
        }
    }

    private Response route(Request request) {
        AreaResponses area = areaOf.apply(request);
        Optional<Router.Match> match = router.match(request.method(), request.path());
        if (match.isEmpty()) {
            return router.pathExists(request.path()) ? area.methodNotAllowed(request) : area.notFound(request);
        }
        request.pathVariables(match.get().variables());
        try {
            return match.get().handler().handle(request);
        } catch (Exception e) {
            return area.internalError(request, e);
        }
    }

    /** 200 with JSON that stops in the middle of the document. */
    private static Response malformed(Response original) {
        byte[] body = original.body();
        String text = body.length > 2 ? new String(body, StandardCharsets.UTF_8) : "{\"value\":[";
        String broken = text.substring(0, Math.max(1, text.length() / 2)) + "\u0000,]}";
        Response r = Response.bytes(200, "application/json; charset=utf-8", broken.getBytes(StandardCharsets.UTF_8));
        copyHeadersExceptBody(original, r);
        return r;
    }

    /** 200 with half of the page's value array and no continuation link. */
    private static Response truncatedPage(Response original) {
        if (!original.isJson()) {
            return original;
        }
        JsonNode node;
        try {
            node = Json.parse(original.body());
        } catch (IllegalArgumentException e) {
            return original;
        }
        if (!(node instanceof ObjectNode page)) {
            return original;
        }
        page.remove("@odata.nextLink");
        page.remove("@odata.deltaLink");
        if (page.get("value") instanceof ArrayNode values) {
            int keep = values.size() / 2;
            while (values.size() > keep) {
                values.remove(values.size() - 1);
            }
        }
        Response r = Response.bytes(200, original.headerValue("Content-Type").orElse("application/json"), Json.bytes(page));
        copyHeadersExceptBody(original, r);
        return r;
    }

    private static void copyHeadersExceptBody(Response from, Response to) {
        for (Map.Entry<String, List<String>> e : from.headers().entrySet()) {
            if (!e.getKey().equalsIgnoreCase("Content-Type") && !e.getKey().equalsIgnoreCase("Content-Length")) {
                e.getValue().forEach(v -> to.header(e.getKey(), v));
            }
        }
    }

    private static void write(HttpExchange exchange, Request request, Response response) throws IOException {
        if (response.delivery() == Response.Delivery.DROP_CONNECTION) {
            throw new InjectedDisconnect();
        }
        response.headers().forEach((name, values) -> values.forEach(v -> exchange.getResponseHeaders().add(name, v)));
        byte[] body = response.body();
        boolean noBody = "HEAD".equals(request.method()) || response.status() == 204 || response.status() == 304;
        if (noBody) {
            exchange.sendResponseHeaders(response.status(), -1);
            exchange.close();
            return;
        }
        exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
        if (body.length == 0) {
            exchange.close();
            return;
        }
        OutputStream out = exchange.getResponseBody();
        if (response.delivery() == Response.Delivery.CUT_MID_BODY) {
            out.write(Arrays.copyOf(body, Math.min(body.length, response.cutAfterBytes())));
            out.flush();
            throw new InjectedDisconnect(); // fewer bytes than announced, then the connection closes
        }
        out.write(body);
        out.close();
    }

    /** Thrown out of the handler on purpose: the JDK server then closes the connection. */
    private static final class InjectedDisconnect extends IOException {
        private static final long serialVersionUID = 1L;

        InjectedDisconnect() {
            super("connection closed by an injected fault");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
