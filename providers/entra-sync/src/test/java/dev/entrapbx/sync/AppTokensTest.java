package dev.entrapbx.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.entrapbx.core.AppTokens;
import dev.entrapbx.core.EntraCloud;
import dev.entrapbx.core.EntraEndpoints;
import dev.entrapbx.core.TenantSelector;
import dev.entrapbx.simulator.EntraSimulator;
import dev.entrapbx.simulator.model.AppRegistration;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;

/** App tokens (core's MSAL wiring) against the simulator's token endpoint: one token request serves many Graph calls. */
class AppTokensTest {

    @Test
    void aTokenIsRequestedOnceAndReusedUntilShortlyBeforeItExpires() {
        SSLSocketFactory before = HttpsURLConnection.getDefaultSSLSocketFactory();
        try (EntraSimulator sim = EntraSimulator.builder().port(0).certDir(Path.of("target", "test-tls")).build().start()) {
            HttpsURLConnection.setDefaultSSLSocketFactory(sim.sslContext().getSocketFactory()); // MSAL's default HTTP client
            String tenant = sim.directory().createTenant(null, "Tokens", "tokens.example").id();
            AppRegistration one = sim.directory().createApp(tenant, AppRegistration.builder().displayName("one")
                    .secret("secret-one", Instant.now().plus(1, ChronoUnit.DAYS)).permissions("User.Read.All"));
            AppRegistration two = sim.directory().createApp(tenant, AppRegistration.builder().displayName("two")
                    .secret("secret-two", Instant.now().plus(1, ChronoUnit.DAYS)).permissions("User.Read.All"));
            EntraEndpoints endpoints = EntraEndpoints.withOverride(EntraCloud.GLOBAL, TenantSelector.parse(tenant), sim.baseUrl());
            AppTokens tokens = new AppTokens();
            String path = "/" + tenant + "/oauth2/v2.0/token";

            String first = tokens.graphToken(endpoints, tenant, AppTokens.Credential.secret(one.appId(), "secret-one"));
            for (int i = 0; i < 20; i++) {
                assertThat(tokens.graphToken(endpoints, tenant, AppTokens.Credential.secret(one.appId(), "secret-one"))).isEqualTo(first);
            }
            assertThat(sim.requests().all(path)).as("token requests for 21 calls").hasSize(1);

            String other = tokens.graphToken(endpoints, tenant, AppTokens.Credential.secret(two.appId(), "secret-two"));
            assertThat(other).as("another app gets its own token").isNotEqualTo(first);
            assertThat(sim.requests().all(path)).hasSize(2);
        } finally {
            HttpsURLConnection.setDefaultSSLSocketFactory(before);
        }
    }
}
