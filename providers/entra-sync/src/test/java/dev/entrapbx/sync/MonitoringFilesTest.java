package dev.entrapbx.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.entrapbx.kc.Meters;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard and the Prometheus alert rules in docker/ ask only for series entra-pbx
 * writes (a renamed meter would leave a panel empty and an alert silent, with no error anywhere).
 */
class MonitoringFilesTest {

    private static final Path DOCKER = Path.of("..", "..", "docker");
    private static final Pattern SERIES = Pattern.compile("entrapbx_[a-z0-9_]+");

    @AfterEach
    void global() {
        Meters.useRegistry(io.micrometer.core.instrument.Metrics.globalRegistry);
    }

    /** Every series name Prometheus shows for entra-pbx's meters (counters _total; timers _seconds_count, _sum, _max). */
    private static Set<String> written() {
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        Meters.useRegistry(r);
        Meters.syncRun("r", "o", "full", "success", Duration.ofSeconds(1), Map.of("added", 1));
        Meters.graphRequest("users", 429);
        Meters.graphRetry("users", "throttled");
        Meters.brokerRefused("r", "o", "credential_expired");
        Meters.ssoDecision("r", "microsoft", "organization_member");
        Meters.webhookDelivery("r", "o", true, Duration.ofMillis(5));
        Meters.Where w = new Meters.Where("r", "o", null);
        Meters.gauge(HealthGauges.CREDENTIAL_DAYS, "d", new Meters.Where("r", "o", "identity-provider"), 1);
        Meters.gauge(HealthGauges.FAILED_IN_A_ROW, "d", w, 0);
        Meters.gauge(HealthGauges.GUARD_HOLDING, "d", w, 0);
        Set<String> names = new TreeSet<>();
        for (Meter m : r.getMeters()) {
            String base = m.getId().getName().replace('.', '_');
            switch (m.getId().getType()) {
                case COUNTER -> names.add(base + "_total");
                case TIMER -> {
                    names.add(base + "_seconds_count");
                    names.add(base + "_seconds_sum");
                    names.add(base + "_seconds_max");
                }
                default -> names.add(base);
            }
        }
        return names;
    }

    private static Set<String> asked(String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = SERIES.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    @Test
    void theAlertRulesAskForSeriesEntraPbxWrites() throws IOException {
        Set<String> asked = asked(Files.readString(DOCKER.resolve("prometheus/alerts.yml")));
        assertThat(asked).contains("entrapbx_credential_expiry_days", "entrapbx_sync_failed_in_a_row", "entrapbx_sync_guard_holding",
                "entrapbx_graph_throttled_total");
        assertThat(written()).containsAll(asked);
    }

    @Test
    void everyDashboardPanelAsksForSeriesEntraPbxWrites() throws IOException {
        JsonNode dash = new ObjectMapper().readTree(DOCKER.resolve("grafana/dashboards/entra-pbx.json").toFile());
        Set<String> written = written();
        for (JsonNode panel : dash.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Set<String> asked = asked(target.path("expr").asText());
                assertThat(asked).as("panel '%s'", panel.path("title").asText()).isNotEmpty();
                assertThat(written).as("panel '%s'", panel.path("title").asText()).containsAll(asked);
            }
        }
        assertThat(asked(dash.path("templating").toString())).isSubsetOf(written);
    }

    @Test
    void theComposeFileProvisionsPrometheusWithTheRulesAndGrafanaWithTheDashboard() throws IOException {
        String compose = Files.readString(DOCKER.resolve("compose.yaml"));
        assertThat(compose).contains("./prometheus/alerts.yml:/etc/prometheus/alerts.yml")
                .contains("./grafana/dashboards:/var/lib/grafana/dashboards");
        String prometheus = Files.readString(DOCKER.resolve("prometheus/prometheus.yml"));
        assertThat(prometheus).contains("/etc/prometheus/alerts.yml").contains("keycloak-1:9000").contains("keycloak-2:9000");
        assertThat(Files.readString(DOCKER.resolve("Dockerfile"))).contains("--metrics-enabled=true");
    }
}
