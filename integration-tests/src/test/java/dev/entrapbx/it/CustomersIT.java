package dev.entrapbx.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.entrapbx.harness.Customer;
import dev.entrapbx.harness.EntraPbxStack;
import dev.entrapbx.harness.KeycloakAdminClient;
import dev.entrapbx.harness.TestRealm;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code GET .../entra-sync/customers}: every customer's Microsoft 365 connection and sync at a glance. */
@ExtendWith(SharedStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CustomersIT {

    EntraPbxStack stack;
    KeycloakAdminClient admin;
    TestRealm realm;

    @BeforeAll
    void setUp(EntraPbxStack stack) {
        this.stack = stack;
        this.admin = stack.keycloak().admin();
        this.realm = TestRealm.create(admin, "customers-it");
    }

    private JsonNode customer(String alias) {
        JsonNode page = admin.get("/" + realm.name() + "/entra-sync/customers?search=" + alias);
        for (JsonNode c : page.path("customers")) {
            if (alias.equals(c.path("alias").asText())) {
                return c;
            }
        }
        throw new AssertionError("no customer " + alias + " in " + page);
    }

    @Test
    void aCustomerShowsItsTenantCredentialRedirectUriAndTheLastRun() {
        Customer f = Customer.in(stack, realm, "glance").permissions(Customer.SYNC_PERMISSIONS).create();
        f.entraUser("ann");
        f.entraUser("bob");
        f.updateIdp(Map.of("entraSecretExpiresOn", LocalDate.now().plusDays(12).toString()));
        String id = f.createSync("glance-sync", Map.of("syncPhotos", "false", "fullSyncPeriod", "3600"));
        long before = java.time.Instant.now().getEpochSecond();
        f.sync(id, true);

        JsonNode c = customer(f.orgAlias());
        assertThat(c.path("organizationId").asText()).isEqualTo(f.orgId());
        assertThat(c.path("domains").toString()).contains(f.domain());
        JsonNode idp = c.path("identityProvider");
        assertThat(idp.path("alias").asText()).isEqualTo(f.idpAlias());
        assertThat(idp.path("tenant").asText()).isEqualTo(f.tenantId());
        assertThat(idp.path("credentialType").asText()).isEqualTo("secret");
        assertThat(idp.path("expiryState").asText()).isEqualTo("EXPIRING_SOON");
        assertThat(idp.path("daysToExpiry").asInt()).isBetween(11, 12);
        assertThat(idp.path("redirectUri").asText()).isEqualTo(stack.keycloak().baseUrl() + "/realms/" + realm.name() + "/broker/"
                + f.idpAlias() + "/endpoint");
        assertThat(idp.toString()).as("no secret in the overview").doesNotContain(f.secret());
        JsonNode sync = c.path("sync");
        assertThat(sync.path("componentId").asText()).isEqualTo(id);
        assertThat(sync.path("lastRun").path("status").asText()).isEqualTo("SUCCESS");
        assertThat(sync.path("lastRun").path("added").asInt()).isEqualTo(2);
        assertThat(sync.path("failedInARow").asInt()).isZero();
        assertThat(sync.path("fullSyncPeriodSeconds").asInt()).isEqualTo(3600);
        long next = java.time.Instant.parse(sync.path("nextFullSyncAt").asText()).getEpochSecond();
        assertThat(next).as("an hour after the full sync").isBetween(before + 3590, before + 3700);
        assertThat(sync.has("nextChangedSyncAt")).as("no changed-users schedule").isFalse();
        assertThat(sync.has("guardMessage")).isFalse();
    }

    @Test
    void aCustomerWithoutIdpOrSyncShowsWhatItLacksAndThePageCountsTheMatches() {
        Customer bare = Customer.in(stack, realm, "bare-glance").withoutIdp().create();
        JsonNode c = customer(bare.orgAlias());
        assertThat(c.has("identityProvider")).isFalse();
        assertThat(c.has("sync")).isFalse();

        JsonNode page = admin.get("/" + realm.name() + "/entra-sync/customers?search=glance&max=1");
        assertThat(page.path("total").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(page.path("customers")).hasSize(1);
    }
}
