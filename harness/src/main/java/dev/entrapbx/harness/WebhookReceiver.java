package dev.entrapbx.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.entrapbx.simulator.tls.TlsMaterial;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLContext;

/**
 * A PBX backend's webhook endpoint for tests and benchmarks: HTTPS on 127.0.0.1 with the
 * simulator's certificate (which Keycloak trusts through {@code --truststore-paths}), recording
 * every request. Each path can be told to fail its next requests or to answer slowly. A delivery
 * is verified as a consumer verifies Standard Webhooks: HMAC-SHA256 with the secret over
 * {@code id.timestamp.body}, any of the space-separated {@code v1,} signatures, the timestamp
 * within five minutes.
 */
public final class WebhookReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    public static final long TOLERANCE_SECONDS = 300;

    /** One request as received, and the status it was answered with. */
    public record Delivery(String path, String id, String timestamp, String signature, byte[] body, long receivedAtMillis, int status) {

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("Not JSON: " + new String(body, StandardCharsets.UTF_8), e);
            }
        }

        public boolean acknowledged() {
            return status >= 200 && status < 300;
        }

        /** True when one of the {@code webhook-signature} entries is this secret's signature and the timestamp is recent. */
        public boolean verifies(String secret) {
            if (id == null || timestamp == null || signature == null) {
                return false;
            }
            long ts;
            try {
                ts = Long.parseLong(timestamp);
            } catch (NumberFormatException e) {
                return false;
            }
            if (Math.abs(System.currentTimeMillis() / 1000 - ts) > TOLERANCE_SECONDS) {
                return false;
            }
            byte[] expected;
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring(secret.indexOf('_') + 1)), "HmacSHA256"));
                mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
                expected = Base64.getEncoder().encode(mac.doFinal(body));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
            for (String entry : signature.split(" ")) {
                String[] parts = entry.split(",", 2);
                if (parts.length == 2 && parts[0].equals("v1")
                        && MessageDigest.isEqual(expected, parts[1].getBytes(StandardCharsets.US_ASCII))) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final class Behaviour {
        final AtomicInteger failures = new AtomicInteger();
        volatile int failStatus = 500;
        volatile long delayMillis;
    }

    private final HttpsServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final List<Delivery> received = new ArrayList<>();
    private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile long lastArrivalMillis;

    private WebhookReceiver(HttpsServer server) {
        this.server = server;
    }

    /** A receiver with the simulator's certificate (the TLS material in the harness work directory). */
    public static WebhookReceiver start(EntraPbxStack stack) {
        return start(TlsMaterial.loadOrCreate(stack.settings().workDir().resolve("sim-tls")).serverContext());
    }

    public static WebhookReceiver start(SSLContext tls) {
        try {
            HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
            server.setHttpsConfigurator(new HttpsConfigurator(tls));
            WebhookReceiver r = new WebhookReceiver(server);
            server.createContext("/", r::handle);
            server.setExecutor(r.pool);
            server.start();
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The https URL of a path on this receiver. */
    public String url(String path) {
        return "https://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The next {@code n} requests to {@code path} are answered {@code status}. */
    public void failNext(String path, int n, int status) {
        Behaviour b = behaviour(path);
        b.failStatus = status;
        b.failures.set(n);
    }

    /** Requests to {@code path} are answered after {@code millis}. */
    public void delay(String path, long millis) {
        behaviour(path).delayMillis = millis;
    }

    /** Requests received and not yet answered. */
    public int inFlight() {
        return inFlight.get();
    }

    /** How long the newest request has been here (arrival to now), in milliseconds. */
    public long sinceLastArrivalMillis() {
        return System.currentTimeMillis() - lastArrivalMillis;
    }

    /** Everything received on {@code path}, in arrival order. */
    public List<Delivery> at(String path) {
        synchronized (received) {
            return received.stream().filter(d -> d.path().equals(path)).toList();
        }
    }

    /** The acknowledged (2xx) deliveries on {@code path}, in arrival order. */
    public List<Delivery> acknowledged(String path) {
        return at(path).stream().filter(Delivery::acknowledged).toList();
    }

    private Behaviour behaviour(String path) {
        return behaviours.computeIfAbsent(path, p -> new Behaviour());
    }

    private void handle(HttpExchange ex) throws IOException {
        lastArrivalMillis = System.currentTimeMillis();
        inFlight.incrementAndGet();
        try (ex) {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            String path = ex.getRequestURI().getPath();
            Behaviour b = behaviour(path);
            int status = b.failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? b.failStatus : 200;
            if (b.delayMillis > 0) {
                try {
                    Thread.sleep(b.delayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            synchronized (received) {
                received.add(new Delivery(path, ex.getRequestHeaders().getFirst("webhook-id"), ex.getRequestHeaders().getFirst("webhook-timestamp"),
                        ex.getRequestHeaders().getFirst("webhook-signature"), body, System.currentTimeMillis(), status));
            }
            byte[] answer = (status == 200 ? "ok" : "failing on purpose").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, answer.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(answer);
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
