package dev.entrapbx.simulator.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.entrapbx.simulator.EntraSimulator;
import dev.entrapbx.simulator.model.AppRegistration;
import dev.entrapbx.simulator.model.Tenant;
import dev.entrapbx.simulator.model.User;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Starts one simulator per test class and offers fixtures: a tenant with an app, users, tokens. */
public abstract class SimulatorTestSupport {
    /** Shared across test classes so the CA is generated once per build. */
    public static final Path CERT_DIR = Path.of("target", "test-tls");
    public static final String PASSWORD = "Test-Passw0rd!";
    public static final String GRAPH_DEFAULT = "https://graph.microsoft.com/.default";

    protected static EntraSimulator sim;
    protected static TestHttp http;

    /** A tenant with one confidential app (secret, redirect URI, permissions). */
    public record Fixture(Tenant tenant, String domain, AppRegistration app, String secret, String redirectUri) {
        public String tenantId() { return tenant.id(); }
        public String clientId() { return app.appId(); }
    }

    @BeforeAll
    static void startSimulator() {
        sim = EntraSimulator.builder().port(0).certDir(CERT_DIR).build().start();
        http = new TestHttp(sim.sslContext(), false);
    }

    @AfterAll
    static void stopSimulator() {
        if (sim != null) {
            sim.close();
        }
    }

    protected static Fixture fixture(String name, String... permissions) {
        String domain = name.toLowerCase() + "-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
        Tenant tenant = sim.directory().createTenant(null, name, domain);
        String secret = "secret-" + UUID.randomUUID();
        String redirect = "https://app.example/callback/" + name.toLowerCase();
        AppRegistration app = sim.directory().createApp(tenant.id(), AppRegistration.builder()
                .displayName(name + " PBX").redirectUri(redirect)
                .secret(secret, Instant.now().plus(365, ChronoUnit.DAYS))
                .permissions(permissions.length == 0 ? new String[] {"User.Read.All", "Group.Read.All",
                        "GroupMember.Read.All", "Organization.Read.All", "Domain.Read.All", "ProfilePhoto.Read.All",
                        "Application.Read.All"} : permissions));
        return new Fixture(tenant, domain, app, secret, redirect);
    }

    protected static User user(Fixture f, String localPart) {
        return sim.directory().createUser(f.tenantId(), User.builder()
                .userPrincipalName(localPart + "@" + f.domain()).mail(localPart + "@" + f.domain())
                .givenName(capitalize(localPart)).surname("Tester").password(PASSWORD)
                .jobTitle("Engineer").department("R&D").businessPhones("+1 425 555 0100"));
    }

    protected static String tokenEndpoint(String tenant) {
        return sim.baseUrl() + "/" + tenant + "/oauth2/v2.0/token";
    }

    protected static HttpResponse<String> clientCredentials(Fixture f, String secret) {
        return http.postForm(tokenEndpoint(f.tenantId()), Map.of("grant_type", "client_credentials",
                "client_id", f.clientId(), "client_secret", secret, "scope", GRAPH_DEFAULT));
    }

    /** An app-only Graph token for the fixture's app. */
    protected static String appToken(Fixture f) {
        HttpResponse<String> r = clientCredentials(f, f.secret());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestHttp.json(r).get("access_token").asText();
    }

    protected static HttpResponse<String> graphGet(String token, String pathAndQuery, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Authorization";
        all[1] = "Bearer " + token;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return http.get(pathAndQuery.startsWith("https://") ? pathAndQuery : sim.baseUrl() + pathAndQuery, all);
    }

    protected static JsonNode graphJson(String token, String pathAndQuery, String... headers) {
        HttpResponse<String> r = graphGet(token, pathAndQuery, headers);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestHttp.json(r);
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
