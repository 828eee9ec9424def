package dev.entrapbx.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.entrapbx.simulator.fault.FaultRule;
import dev.entrapbx.simulator.json.Json;
import dev.entrapbx.simulator.model.User;
import dev.entrapbx.simulator.support.SimulatorTestSupport;
import dev.entrapbx.simulator.support.TestHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FaultInjectionTest extends SimulatorTestSupport {
    private static Fixture fx;
    private static Fixture other;
    private static String token;

    @BeforeAll
    static void seed() {
        fx = fixture("Faulty");
        other = fixture("Healthy");
        for (int i = 0; i < 10; i++) {
            sim.directory().createUser(fx.tenantId(), User.builder().userPrincipalName("f" + i + "@" + fx.domain()));
        }
        token = appToken(fx);
    }

    @AfterEach
    void clear() {
        sim.faults().clear();
    }

    @Test
    void throttlingAnswers429WithRetryAfterThenRecovers() {
        sim.faults().add(FaultRule.on("GET", "^/v1\\.0/users").times(2).throttle(7));
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> r = graphGet(token, "/v1.0/users");
            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(r.headers().firstValue("Retry-After")).contains("7");
            assertThat(TestHttp.json(r).at("/error/code").asText()).isEqualTo("TooManyRequests");
        }
        assertThat(graphGet(token, "/v1.0/users").statusCode()).isEqualTo(200);
    }

    @Test
    void serviceUnavailableAndGatewayTimeout() {
        sim.faults().add(FaultRule.on("GET", "/users/delta").serviceUnavailable(3));
        sim.faults().add(FaultRule.on("GET", "/groups").gatewayTimeout(null));
        HttpResponse<String> unavailable = graphGet(token, "/v1.0/users/delta");
        assertThat(unavailable.statusCode()).isEqualTo(503);
        assertThat(unavailable.headers().firstValue("Retry-After")).contains("3");
        HttpResponse<String> timeout = graphGet(token, "/v1.0/groups");
        assertThat(timeout.statusCode()).isEqualTo(504);
        assertThat(timeout.headers().firstValue("Retry-After")).isEmpty();
    }

    @Test
    void tokenEndpointFaultsUseTheIdentityErrorFormat() {
        sim.faults().add(FaultRule.on("POST", "/oauth2/v2.0/token$").throttle(2));
        HttpResponse<String> r = clientCredentials(fx, fx.secret());
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(TestHttp.json(r).get("error_codes").get(0).asInt()).isEqualTo(90055);
        assertThat(clientCredentials(fx, fx.secret()).statusCode()).isEqualTo(200);
    }

    @Test
    void latencyDelaysTheAnswer() {
        sim.faults().add(FaultRule.on("GET", "/v1.0/organization").latency(Duration.ofMillis(600)));
        long start = System.nanoTime();
        assertThat(graphGet(token, "/v1.0/organization").statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(550));
    }

    @Test
    void malformedJsonIsA200ThatDoesNotParse() {
        sim.faults().add(FaultRule.on("GET", "/v1.0/users").malformedJson());
        HttpResponse<String> r = graphGet(token, "/v1.0/users");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThatThrownBy(() -> Json.parse(r.body())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void truncatedPageHasHalfTheValuesAndNoLinks() {
        sim.faults().add(FaultRule.on("GET", "/v1.0/users/delta").truncatedPage());
        JsonNode page = graphJson(token, "/v1.0/users/delta?$top=8");
        assertThat(page.get("value")).hasSize(4);
        assertThat(page.has("@odata.nextLink")).isFalse();
        assertThat(page.has("@odata.deltaLink")).isFalse();
    }

    @Test
    void connectionCloseCutsTheBodyShort() {
        sim.faults().add(FaultRule.on("GET", "/v1.0/users").connectionClose());
        HttpRequest request = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v1.0/users"))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token).build();
        assertThatThrownBy(() -> http.send(request)).isInstanceOf(UncheckedIOException.class)
                .hasCauseInstanceOf(IOException.class);
        assertThat(graphGet(token, "/v1.0/users").statusCode()).isEqualTo(200);
    }

    @Test
    void connectionResetGivesNoAnswerAtAll() {
        // until cleared: java.net.http retries an idempotent GET once after a dropped connection
        FaultRule rule = sim.faults().add(FaultRule.on("*", "/v1.0/domains").untilCleared().connectionReset());
        assertThatThrownBy(() -> graphGet(token, "/v1.0/domains")).isInstanceOf(UncheckedIOException.class);
        assertThat(rule.fired()).isGreaterThanOrEqualTo(1);
        sim.faults().remove(rule.id());
        assertThat(graphGet(token, "/v1.0/domains").statusCode()).isEqualTo(200);
    }

    @Test
    void tenantScopedFaultsLeaveOtherTenantsAlone() {
        sim.faults().add(FaultRule.on("GET", "/v1.0/").tenant(fx.tenantId()).untilCleared().status(500, null));
        assertThat(graphGet(token, "/v1.0/users").statusCode()).isEqualTo(500);
        assertThat(graphGet(token, "/v1.0/groups").statusCode()).isEqualTo(500);
        assertThat(graphGet(appToken(other), "/v1.0/users").statusCode()).isEqualTo(200);
        FaultRule rule = sim.faults().rules().get(0);
        assertThat(rule.fired()).isEqualTo(2);
        sim.faults().remove(rule.id());
        assertThat(graphGet(token, "/v1.0/users").statusCode()).isEqualTo(200);
    }

    @Test
    void faultsCanBeManagedThroughTheControlApi() {
        HttpResponse<String> created = http.postJson(sim.baseUrl() + "/_sim/faults",
                "{\"method\":\"GET\",\"path\":\"/v1.0/users\",\"kind\":\"THROTTLE\",\"retryAfter\":4,\"times\":1}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(TestHttp.json(http.get(sim.baseUrl() + "/_sim/faults"))).hasSize(1);
        HttpResponse<String> throttled = graphGet(token, "/v1.0/users");
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).contains("4");
        assertThat(TestHttp.json(http.get(sim.baseUrl() + "/_sim/faults"))).isEmpty();
        http.postJson(sim.baseUrl() + "/_sim/faults", "{\"path\":\"/v1.0/\",\"kind\":\"SERVICE_UNAVAILABLE\",\"untilCleared\":true}");
        assertThat(graphGet(token, "/v1.0/users").statusCode()).isEqualTo(503);
        assertThat(http.delete(sim.baseUrl() + "/_sim/faults").statusCode()).isEqualTo(204);
        assertThat(graphGet(token, "/v1.0/users").statusCode()).isEqualTo(200);
    }
}
