package dev.entrapbx.kc;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetersTest {

    private SimpleMeterRegistry registry;

    @BeforeEach
    void registry() {
        registry = new SimpleMeterRegistry();
        Meters.useRegistry(registry);
    }

    @AfterEach
    void global() {
        Meters.useRegistry(io.micrometer.core.instrument.Metrics.globalRegistry);
    }

    @Test
    void aSyncRunCountsItsStatusDurationAndUsersByOutcomeTaggedWithRealmAndOrganization() {
        Map<String, Integer> users = new LinkedHashMap<>();
        users.put("added", 3);
        users.put("updated", 0);
        users.put("failed", 1);
        Meters.syncRun("partner", "contoso", "full", "partial", Duration.ofSeconds(2), users);
        Meters.syncRun("partner", "contoso", "full", "partial", Duration.ofSeconds(4), users);

        assertThat(registry.get("entrapbx.sync.runs").tags("realm", "partner", "organization", "contoso", "trigger", "full", "status", "partial")
                .counter().count()).isEqualTo(2);
        assertThat(registry.get("entrapbx.sync.users").tags("organization", "contoso", "outcome", "added").counter().count()).isEqualTo(6);
        assertThat(registry.get("entrapbx.sync.users").tags("outcome", "failed").counter().count()).isEqualTo(2);
        assertThat(registry.find("entrapbx.sync.users").tags("outcome", "updated").counter()).as("no zero series").isNull();
        assertThat(registry.get("entrapbx.sync.run.duration").timer().totalTime(java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(6);
    }

    @Test
    void aMissingOrganizationIsTaggedNoneNeverEmpty() {
        Meters.brokerRefused("partner", null, "tenant_not_allowed");
        assertThat(registry.get("entrapbx.broker.refused").tags("organization", "none", "reason", "tenant_not_allowed").counter().count())
                .isEqualTo(1);
    }

    @Test
    void graphRequestsByOutcomeAndThrottlesApart() {
        Meters.graphRequest("users", 200);
        Meters.graphRequest("users", 429);
        Meters.graphRequest("photos", 503);
        Meters.graphRequest("photos", 0);
        Meters.graphRetry("users", "throttled");
        assertThat(registry.get("entrapbx.graph.requests").tags("family", "users", "outcome", "2xx").counter().count()).isEqualTo(1);
        assertThat(registry.get("entrapbx.graph.requests").tags("family", "users", "outcome", "throttled").counter().count()).isEqualTo(1);
        assertThat(registry.get("entrapbx.graph.throttled").tags("family", "users").counter().count()).isEqualTo(1);
        assertThat(registry.get("entrapbx.graph.requests").tags("family", "photos", "outcome", "5xx").counter().count()).isEqualTo(1);
        assertThat(registry.get("entrapbx.graph.requests").tags("family", "photos", "outcome", "io-error").counter().count()).isEqualTo(1);
        assertThat(registry.get("entrapbx.graph.retries").tags("reason", "throttled").counter().count()).isEqualTo(1);
    }

    @Test
    void gaugesKeepTheNewestValueAndGoWhenTheirCustomerDoes() {
        Meters.Where contoso = new Meters.Where("partner", "contoso", "identity-provider");
        Meters.Where fabrikam = new Meters.Where("partner", "fabrikam", "identity-provider");
        Meters.gauge("entrapbx.credential.expiry.days", "days", contoso, 40);
        Meters.gauge("entrapbx.credential.expiry.days", "days", fabrikam, 3);
        Meters.gauge("entrapbx.credential.expiry.days", "days", contoso, 39);

        assertThat(registry.get("entrapbx.credential.expiry.days").tags("organization", "contoso", "kind", "identity-provider").gauge().value())
                .isEqualTo(39);
        Meters.retainGauges("entrapbx.credential.expiry.days", Set.of(contoso));
        assertThat(registry.find("entrapbx.credential.expiry.days").tags("organization", "fabrikam").gauge()).isNull();
        assertThat(registry.getMeters()).extracting(Meter::getId).extracting(Meter.Id::getName).containsOnly("entrapbx.credential.expiry.days");
    }

    @Test
    void aWebhookDeliveryRecordsItsLagOnlyWhenDelivered() {
        Meters.webhookDelivery("partner", "contoso", true, Duration.ofMillis(250));
        Meters.webhookDelivery("partner", "contoso", false, null);
        assertThat(registry.get("entrapbx.webhook.deliveries").tags("outcome", "delivered").counter().count()).isEqualTo(1);
        assertThat(registry.get("entrapbx.webhook.deliveries").tags("outcome", "failed").counter().count()).isEqualTo(1);
        assertThat(registry.get("entrapbx.webhook.lag").timer().count()).isEqualTo(1);
    }
}
