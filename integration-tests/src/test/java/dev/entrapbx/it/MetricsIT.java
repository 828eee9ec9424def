package dev.entrapbx.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.entrapbx.harness.Customer;
import dev.entrapbx.harness.EntraPbxStack;
import dev.entrapbx.harness.KeycloakAdminClient;
import dev.entrapbx.harness.Poll;
import dev.entrapbx.harness.TestRealm;
import dev.entrapbx.simulator.fault.FaultRule;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Keycloak's {@code /metrics} (management port) after what a partner's monitoring watches: a sync,
 * a throttled Graph, a refused sign-in, an expired secret, failing runs. Values are read from the
 * Prometheus text, tagged with the realm and the Organization's alias.
 */
@ExtendWith(SharedStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsIT {

    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    EntraPbxStack stack;
    KeycloakAdminClient admin;
    TestRealm realm;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void setUp(EntraPbxStack stack) {
        this.stack = stack;
        this.admin = stack.keycloak().admin();
        this.realm = TestRealm.create(admin, "metrics-it");
    }

    @AfterEach
    void clearFaults() {
        stack.simulator().faults().clear();
    }

    @Test
    void aSyncIsCountedByStatusAndUsersAndItsGraphRequestsRetriesAndThrottlesByFamily() {
        Customer f = Customer.in(stack, realm, "meter-sync").permissions(Customer.SYNC_PERMISSIONS).create();
        for (int i = 0; i < 7; i++) {
            f.entraUser("u" + i);
        }
        String id = f.createSync("meter-sync", Map.of("syncPhotos", "false"));
        stack.simulator().faults().add(FaultRule.on("GET", "^/v1\\.0/users/delta").tenant(f.tenantId()).times(3).throttle(0));
        assertThat(f.sync(id, true).path("added").asInt()).isEqualTo(7);

        Map<String, String> where = Map.of("realm", realm.name(), "organization", f.orgAlias());
        Map<String, Double> m = scrape();
        assertThat(value(m, "entrapbx_sync_runs_total", with(where, "trigger", "full", "status", "success"))).isEqualTo(1.0);
        assertThat(value(m, "entrapbx_sync_users_total", with(where, "outcome", "added"))).isEqualTo(7.0);
        assertThat(value(m, "entrapbx_sync_run_duration_seconds_count", with(where, "trigger", "full"))).isEqualTo(1.0);
        assertThat(value(m, "entrapbx_graph_retries_total", Map.of("family", "users", "reason", "throttled"))).isGreaterThanOrEqualTo(3.0);
        assertThat(value(m, "entrapbx_graph_throttled_total", Map.of("family", "users"))).isGreaterThanOrEqualTo(3.0);
        assertThat(value(m, "entrapbx_graph_requests_total", Map.of("family", "users", "outcome", "2xx"))).isGreaterThanOrEqualTo(1.0);
        assertThat(value(m, "entrapbx_graph_requests_total", Map.of("family", "domains", "outcome", "2xx"))).isGreaterThanOrEqualTo(1.0);
        assertThat(m.keySet()).as("no user or object id in any tag").noneMatch(k -> k.startsWith("entrapbx_") && k.contains(f.tenantId()));
        // the health gauges of a customer whose last run succeeded
        assertThat(Poll.until(Duration.ofSeconds(30), () -> scrape().containsKey(key("entrapbx_sync_failed_in_a_row", where)))).isTrue();
        assertThat(value(scrape(), "entrapbx_sync_failed_in_a_row", where)).isZero();
        assertThat(value(scrape(), "entrapbx_sync_guard_holding", where)).isZero();
    }

    @Test
    void failedRunsInARowAreAGaugeEveryNodeShowsAndASuccessResetsIt() {
        Customer f = Customer.in(stack, realm, "meter-fail").permissions(Customer.SYNC_PERMISSIONS).create();
        f.entraUser("ann");
        String id = f.createSync("meter-fail", Map.of("syncPhotos", "false"));
        stack.simulator().faults().add(FaultRule.on("GET", "^/v1\\.0/users/delta").tenant(f.tenantId()).untilCleared().status(500, null));
        f.sync(id, true);
        f.sync(id, true);
        Map<String, String> where = Map.of("realm", realm.name(), "organization", f.orgAlias());
        assertThat(value(scrape(), "entrapbx_sync_runs_total", with(where, "trigger", "full", "status", "failed"))).isEqualTo(2.0);
        assertThat(Poll.until(Duration.ofSeconds(30), () -> value(scrape(), "entrapbx_sync_failed_in_a_row", where) == 2.0))
                .as("two failed runs in a row").isTrue();

        stack.simulator().faults().clear();
        f.sync(id, true);
        assertThat(Poll.until(Duration.ofSeconds(30), () -> value(scrape(), "entrapbx_sync_failed_in_a_row", where) == 0.0))
                .as("reset by a run that got through").isTrue();
    }

    @Test
    void aRefusedSignInIsCountedByReasonAndAnExpiredSecretShowsNegativeDaysToExpiry() {
        Customer f = Customer.in(stack, realm, "meter-idp").create();
        f.entraUser("erin");
        f.updateIdp(Map.of("entraSecretExpiresOn", LocalDate.now().minusDays(3).toString()));
        try {
            f.signInThroughMicrosoft("erin@" + f.domain());
        } catch (IllegalStateException refused) {
            // the broker refuses: the secret has expired
        }
        Map<String, String> where = Map.of("realm", realm.name(), "organization", f.orgAlias());
        assertThat(value(scrape(), "entrapbx_broker_refused_total", with(where, "reason", "credential_expired"))).isEqualTo(1.0);
        Map<String, String> idp = with(where, "kind", "identity-provider");
        assertThat(Poll.until(Duration.ofSeconds(30), () -> scrape().getOrDefault(key("entrapbx_credential_expiry_days", idp), 0.0) < 0))
                .as("days to expiry below zero once expired").isTrue();
        assertThat(value(scrape(), "entrapbx_credential_expiry_days", idp)).isBetween(-4.0, -2.0);

        f.updateIdp(Map.of("entraSecretExpiresOn", LocalDate.now().plusDays(10).toString()));
        assertThat(Poll.until(Duration.ofSeconds(30), () -> value(scrape(), "entrapbx_credential_expiry_days", idp) >= 9.0))
                .as("renewed: the alert's 14-day threshold sees 9 or 10 days").isTrue();
    }

    // ---- Prometheus text ----

    private Map<String, Double> scrape() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(stack.keycloak().managementUrl() + "/metrics"))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            Map<String, Double> out = new LinkedHashMap<>();
            for (String line : r.body().split("\n")) {
                Matcher m = LINE.matcher(line.trim());
                if (line.startsWith("#") || !m.matches()) {
                    continue;
                }
                Map<String, String> labels = new LinkedHashMap<>();
                if (m.group(3) != null) {
                    Matcher l = LABEL.matcher(m.group(3));
                    while (l.find()) {
                        labels.put(l.group(1), l.group(2));
                    }
                }
                out.put(key(m.group(1), labels), Double.parseDouble(m.group(4)));
            }
            return out;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("GET /metrics failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A series' key: its name and labels, sorted (the same series, whatever order Keycloak prints them in). */
    private static String key(String name, Map<String, String> labels) {
        return name + new java.util.TreeMap<>(labels);
    }

    /** The sum of the series of {@code name} whose labels include {@code labels} (0 when there is none). */
    private static double value(Map<String, Double> scraped, String name, Map<String, String> labels) {
        double sum = 0;
        for (Map.Entry<String, Double> e : scraped.entrySet()) {
            if (!e.getKey().startsWith(name + "{")) {
                continue;
            }
            String inner = e.getKey().substring(name.length());
            boolean all = labels.entrySet().stream().allMatch(l -> inner.contains(l.getKey() + "=" + l.getValue() + ",")
                    || inner.contains(l.getKey() + "=" + l.getValue() + "}"));
            if (all) {
                sum += e.getValue();
            }
        }
        return sum;
    }

    private static Map<String, String> with(Map<String, String> base, String... kv) {
        Map<String, String> m = new LinkedHashMap<>(base);
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
