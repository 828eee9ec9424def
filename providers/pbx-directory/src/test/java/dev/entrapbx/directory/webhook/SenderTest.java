package dev.entrapbx.directory.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sender against a local (plain HTTP) server: headers, statuses, connection reuse, a long answer cut off. */
class SenderTest {

    private HttpServer server;
    private final List<String> seen = Collections.synchronizedList(new ArrayList<>());
    private final List<Integer> remotePorts = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        server.createContext("/", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            remotePorts.add(ex.getRemoteAddress().getPort());
            String id = ex.getRequestHeaders().getFirst("webhook-id");
            String ts = ex.getRequestHeaders().getFirst("webhook-timestamp");
            String sig = ex.getRequestHeaders().getFirst("webhook-signature");
            seen.add(id + "|" + ts + "|" + sig + "|" + new String(body, StandardCharsets.UTF_8) + "|" + ex.getRequestHeaders().getFirst("Content-Type"));
            String path = ex.getRequestURI().getPath();
            int status = path.equals("/fail") ? 503 : path.equals("/redirect") ? 302 : 200;
            byte[] answer = path.equals("/big") ? new byte[2_000_000] : "ok".getBytes(StandardCharsets.UTF_8);
            if (status == 302) {
                ex.getResponseHeaders().add("Location", "http://127.0.0.1:1/elsewhere");
            }
            ex.sendResponseHeaders(status, answer.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(answer);
            } catch (java.io.IOException e) {
                // the sender stopped reading a long answer
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Test
    void sendsTheStandardWebhooksHeadersAndReusesTheConnection() {
        Sender sender = new Sender(null);
        String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        byte[] body = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 5; i++) {
            Sender.Outcome o = sender.send(url("/ok"), "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, body, List.of(secret));
            assertThat(o.delivered()).isTrue();
            assertThat(o.status()).isEqualTo(200);
        }
        assertThat(seen.get(0)).isEqualTo("msg_p5jXN8AQM9LWM0D4loKWxJek|1614265330|v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=|"
                + "{\"test\": 2432232314}|application/json");
        assertThat(remotePorts).as("one connection for all five").containsOnly(remotePorts.get(0));
    }

    @Test
    void non2xxRedirectsAndRefusedConnectionsAreFailures() throws Exception {
        Sender sender = new Sender(null);
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        List<String> secrets = List.of(Secrets.generate());
        assertThat(sender.send(url("/fail"), "msg_1", 1, body, secrets).status()).isEqualTo(503);
        Sender.Outcome redirect = sender.send(url("/redirect"), "msg_1", 1, body, secrets);
        assertThat(redirect.status()).as("not followed").isEqualTo(302);
        assertThat(redirect.delivered()).isFalse();
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Sender.Outcome refused = sender.send(URI.create("http://127.0.0.1:" + closed + "/"), "msg_1", 1, body, secrets);
        assertThat(refused.status()).isNull();
        assertThat(refused.error()).contains("connection refused");
    }

    @Test
    void aLongAnswerIsCutOffAfterASmallRead() {
        Sender.Outcome o = new Sender(null).send(url("/big"), "msg_1", 1, "{}".getBytes(StandardCharsets.UTF_8), List.of(Secrets.generate()));
        assertThat(o.status()).isEqualTo(200);
        assertThat(o.durationMillis()).isLessThan(5_000);
    }
}
