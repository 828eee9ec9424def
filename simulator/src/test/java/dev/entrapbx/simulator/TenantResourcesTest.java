package dev.entrapbx.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.entrapbx.simulator.model.Domain;
import dev.entrapbx.simulator.support.ClientAssertions.ClientCert;
import dev.entrapbx.simulator.support.SimulatorTestSupport;
import dev.entrapbx.simulator.tls.Certificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class TenantResourcesTest extends SimulatorTestSupport {
    private static Fixture fx;
    private static String token;
    private static ClientCert cert;

    @BeforeAll
    static void seed() {
        fx = fixture("Tailspin");
        sim.directory().addDomain(fx.tenantId(), Domain.unverified("pending.example"));
        cert = ClientCert.create("tailspin-sync", Duration.ofDays(90));
        sim.directory().addCertificate(fx.clientId(), cert.certificate());
        token = appToken(fx);
    }

    @Test
    void organizationListsTheTenantWithItsVerifiedDomains() {
        JsonNode org = graphJson(token, "/v1.0/organization").get("value").get(0);
        assertThat(org.get("id").asText()).isEqualTo(fx.tenantId());
        assertThat(org.get("displayName").asText()).isEqualTo("Tailspin");
        JsonNode domains = org.get("verifiedDomains");
        assertThat(domains).hasSize(2);
        assertThat(domains.toString()).contains(fx.domain(), fx.tenant().initialDomain().name())
                .doesNotContain("pending.example");
        assertThat(graphJson(token, "/v1.0/organization/" + fx.tenantId()).get("id").asText()).isEqualTo(fx.tenantId());
    }

    @Test
    void domainsIncludeUnverifiedOnes() {
        JsonNode domains = graphJson(token, "/v1.0/domains").get("value");
        assertThat(domains).hasSize(3);
        JsonNode pending = graphJson(token, "/v1.0/domains/pending.example");
        assertThat(pending.get("isVerified").asBoolean()).isFalse();
        JsonNode main = graphJson(token, "/v1.0/domains/" + fx.domain());
        assertThat(main.get("isDefault").asBoolean()).isTrue();
        assertThat(main.get("isInitial").asBoolean()).isFalse();
    }

    @Test
    void applicationShowsCredentialMetadataButNeverSecretValues() {
        JsonNode app = graphJson(token, "/v1.0/applications(appId='" + fx.clientId() + "')");
        assertThat(app.get("appId").asText()).isEqualTo(fx.clientId());
        assertThat(app.get("signInAudience").asText()).isEqualTo("AzureADMyOrg");
        assertThat(app.at("/web/redirectUris/0").asText()).isEqualTo(fx.redirectUri());
        JsonNode secret = app.get("passwordCredentials").get(0);
        assertThat(secret.get("hint").asText()).isEqualTo(fx.secret().substring(0, 3));
        assertThat(secret.get("secretText").isNull()).isTrue();
        assertThat(secret.get("endDateTime").asText()).isNotBlank();
        assertThat(app.toString()).doesNotContain(fx.secret());
        JsonNode key = app.get("keyCredentials").get(0);
        assertThat(key.get("type").asText()).isEqualTo("AsymmetricX509Cert");
        assertThat(key.get("endDateTime").asText()).isEqualTo(cert.certificate().getNotAfter().toInstant().toString());
        assertThat(key.get("customKeyIdentifier").asText()).isEqualTo(Base64.getEncoder().encodeToString(
                HexFormat.of().parseHex(Certificates.sha1Hex(cert.certificate()))));

        String filter = URLEncoder.encode("appId eq '" + fx.clientId() + "'", StandardCharsets.UTF_8);
        JsonNode list = graphJson(token, "/v1.0/applications?$filter=" + filter);
        assertThat(list.get("value")).hasSize(1);
        assertThat(graphJson(token, "/v1.0/applications/" + app.get("id").asText()).get("appId").asText())
                .isEqualTo(fx.clientId());
    }

    @Test
    void applicationsNeedApplicationReadAll() {
        Fixture limited = fixture("Limited", "User.Read.All");
        assertThat(graphGet(appToken(limited), "/v1.0/applications(appId='" + limited.clientId() + "')").statusCode())
                .isEqualTo(403);
    }
}
