package dev.entrapbx.simulator.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.entrapbx.simulator.http.Request;
import dev.entrapbx.simulator.json.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A local webhook endpoint for tests: answers Graph's validation requests ({@code ?validationToken=}) by echoing
 * the decoded token as text/plain (or wrongly, as a test asks), and queues the notifications it receives.
 */
public final class WebhookReceiver implements AutoCloseable {
    /** How validation requests are answered. */
    public enum Validation { ECHO, WRONG_BODY, NOT_FOUND, JSON_CONTENT_TYPE, SLOW }

    private final HttpServer server;
    private final String scheme;
    private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private final List<String> validationTokens = new CopyOnWriteArrayList<>();
    private final AtomicInteger failNext = new AtomicInteger();
    private final AtomicInteger posts = new AtomicInteger();
    private final AtomicInteger slowNext = new AtomicInteger();
    private volatile long slowNotificationMillis;
    private volatile Validation validation = Validation.ECHO;
    private volatile int status = 202;
    private volatile long slowMillis = 12_000;

    private WebhookReceiver(HttpServer server, String scheme) {
        this.server = server;
        this.scheme = scheme;
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    /** Plain HTTP on 127.0.0.1 (the simulator accepts http:// on loopback). */
    public static WebhookReceiver http() {
        try {
            return new WebhookReceiver(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0), "http");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** HTTPS with the given server context (e.g. the simulator's own certificate for 127.0.0.1). */
    public static WebhookReceiver https(SSLContext context) {
        try {
            HttpsServer s = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            s.setHttpsConfigurator(new HttpsConfigurator(context));
            return new WebhookReceiver(s, "https");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url(String path) {
        return scheme + "://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public WebhookReceiver validation(Validation v) {
        this.validation = v;
        return this;
    }

    /** The status for notifications (202 by default). */
    public WebhookReceiver status(int s) {
        this.status = s;
        return this;
    }

    /** The next {@code n} notifications are answered 503. */
    public WebhookReceiver failNext(int n) {
        failNext.set(n);
        return this;
    }

    /** The next {@code n} notifications are answered (202) only after {@code millis}. */
    public WebhookReceiver slowNext(int n, long millis) {
        slowNotificationMillis = millis;
        slowNext.set(n);
        return this;
    }

    public List<String> validationTokens() { return validationTokens; }

    public int posts() { return posts.get(); }

    /** The next notification body (a changeNotificationCollection), or null after the timeout. */
    public JsonNode next(long timeoutMillis) {
        try {
            return received.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    public int pending() {
        return received.size();
    }

    private void handle(HttpExchange x) throws IOException {
        byte[] body = x.getRequestBody().readAllBytes();
        Map<String, String> query = Request.parseUrlEncoded(x.getRequestURI().getRawQuery());
        String token = query.get("validationToken");
        if (token != null) {
            validationTokens.add(token);
            switch (validation) {
                case ECHO -> write(x, 200, "text/plain; charset=utf-8", token);
                case WRONG_BODY -> write(x, 200, "text/plain; charset=utf-8", "not-the-token");
                case NOT_FOUND -> write(x, 404, "text/plain", "nope");
                case JSON_CONTENT_TYPE -> write(x, 200, "application/json", token);
                case SLOW -> {
                    sleep(slowMillis);
                    write(x, 200, "text/plain", token);
                }
                default -> throw new IllegalStateException();
            }
            return;
        }
        posts.incrementAndGet();
        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            write(x, 503, "text/plain", "try later");
            return;
        }
        if (slowNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            sleep(slowNotificationMillis);
        }
        received.add(Json.parse(body));
        write(x, status, null, "");
    }

    private static void write(HttpExchange x, int status, String contentType, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (contentType != null) {
            x.getResponseHeaders().add("Content-Type", contentType);
        }
        x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = x.getResponseBody()) {
                out.write(bytes);
            }
        }
        x.close();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
