package dev.entrapbx.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.entrapbx.simulator.fault.FaultRule;
import dev.entrapbx.simulator.json.Json;
import dev.entrapbx.simulator.model.User;
import dev.entrapbx.simulator.support.SimulatorTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** JSON batching (https://learn.microsoft.com/graph/json-batching) as Graph answers it. */
class BatchTest extends SimulatorTestSupport {
    private static Fixture fx;
    private static String token;
    private static User withPhoto;
    private static User withoutPhoto;

    @BeforeAll
    static void seed() throws IOException {
        fx = fixture("Batching", "User.Read.All");
        withPhoto = user(fx, "pic");
        withoutPhoto = user(fx, "nopic");
        sim.directory().setPhoto(fx.tenantId(), withPhoto.id(), PhotoTest.png(Color.GREEN), "image/png");
        token = appToken(fx);
    }

    @AfterEach
    void clear() {
        sim.faults().clear();
    }

    static HttpResponse<String> batch(String token, String json) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v1.0/$batch"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            return http.client().send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, JsonNode> byId(HttpResponse<String> r) {
        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, JsonNode> out = new HashMap<>();
        Json.parse(r.body()).path("responses").forEach(s -> out.put(s.path("id").asText(), s));
        return out;
    }

    @Test
    void eachStepIsAnsweredAsIfSentAloneJsonEmbeddedAndBinaryInBase64() throws IOException {
        Map<String, JsonNode> steps = byId(batch(token, "{\"requests\":["
                + "{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users/" + withPhoto.id() + "/photo\"},"
                + "{\"id\":\"2\",\"method\":\"GET\",\"url\":\"/users/" + withoutPhoto.id() + "/photo\"},"
                + "{\"id\":\"3\",\"method\":\"GET\",\"url\":\"users/" + withPhoto.id() + "/photo/$value\"},"
                + "{\"id\":\"4\",\"method\":\"GET\",\"url\":\"/users/" + withPhoto.id() + "?$select=id,userPrincipalName\"}]}"));
        assertThat(steps).hasSize(4);
        assertThat(steps.get("1").path("status").asInt()).isEqualTo(200);
        assertThat(steps.get("1").path("body").path("@odata.mediaEtag").asText()).startsWith("W/\"");
        assertThat(steps.get("2").path("status").asInt()).isEqualTo(404);
        assertThat(steps.get("2").path("body").path("error").path("code").asText()).isEqualTo("ImageNotFound");
        assertThat(steps.get("3").path("headers").path("Content-Type").asText()).isEqualTo("image/png");
        assertThat(java.util.Base64.getDecoder().decode(steps.get("3").path("body").asText())).isEqualTo(PhotoTest.png(Color.GREEN));
        assertThat(steps.get("4").path("body").path("userPrincipalName").asText()).isEqualTo(withPhoto.userPrincipalName());
        // the steps are recorded like requests of their own
        assertThat(sim.requests().last("/v1.0/users/" + withPhoto.id() + "/photo/$value")).isPresent();
    }

    @Test
    void stepsAreThrottledOneByOneWithTheirOwnRetryAfter() {
        sim.faults().add(FaultRule.on("GET", "/photo$").times(1).throttle(4));
        Map<String, JsonNode> steps = byId(batch(token, "{\"requests\":["
                + "{\"id\":\"a\",\"method\":\"GET\",\"url\":\"/users/" + withPhoto.id() + "/photo\"},"
                + "{\"id\":\"b\",\"method\":\"GET\",\"url\":\"/users/" + withPhoto.id() + "/photo\"}]}"));
        assertThat(steps.get("a").path("status").asInt()).isEqualTo(429);
        assertThat(steps.get("a").path("headers").path("Retry-After").asText()).isEqualTo("4");
        assertThat(steps.get("a").path("body").path("error").path("code").asText()).isEqualTo("TooManyRequests");
        assertThat(steps.get("b").path("status").asInt()).isEqualTo(200);
    }

    @Test
    void theBatchsTokenAuthorizesEveryStep() {
        Map<String, JsonNode> steps = byId(batch(null, "{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users\"}]}"));
        assertThat(steps.get("1").path("status").asInt()).isEqualTo(401);
        assertThat(steps.get("1").path("body").path("error").path("code").asText()).isEqualTo("InvalidAuthenticationToken");
    }

    @Test
    void malformedOrOversizedBatchesAreRefused() {
        StringBuilder many = new StringBuilder("{\"requests\":[");
        for (int i = 1; i <= 21; i++) {
            many.append(i > 1 ? "," : "").append("{\"id\":\"").append(i).append("\",\"method\":\"GET\",\"url\":\"/users\"}");
        }
        HttpResponse<String> tooMany = batch(token, many.append("]}").toString());
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(tooMany.body()).contains("exceeds the limit of 20");
        assertThat(batch(token, "{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users\"},"
                + "{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users\"}]}").body()).contains("must be unique");
        assertThat(batch(token, "not json").statusCode()).isEqualTo(400);
        assertThat(batch(token, "{\"requests\":[{\"method\":\"GET\"}]}").statusCode()).isEqualTo(400);
    }
}
