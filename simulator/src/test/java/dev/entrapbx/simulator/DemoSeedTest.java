package dev.entrapbx.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.entrapbx.simulator.control.SeedLoader;
import dev.entrapbx.simulator.model.AppRegistration;
import dev.entrapbx.simulator.model.Group;
import dev.entrapbx.simulator.support.SimulatorTestSupport;
import dev.entrapbx.simulator.support.TestHttp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** seeds/demo.json loads and works with the documented ids and secret. */
class DemoSeedTest extends SimulatorTestSupport {
    static final String CONTOSO = "6f1e2d3c-4b5a-4978-8a1b-2c3d4e5f6a7b";
    static final String FABRIKAM = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";
    static final String APP = "3f2a1b0c-9d8e-4f7a-b6c5-d4e3f2a1b0c9";

    private static SeedLoader.Summary summary;

    @BeforeAll
    static void load() {
        summary = sim.loadSeed(Path.of("seeds", "demo.json"));
    }

    @Test
    void seededUsersKeepTheirObjectIdAcrossRestarts() {
        String id = sim.directory().requireUser(CONTOSO, "adele.vance@contoso.example").id();
        try (EntraSimulator again = EntraSimulator.builder().port(0).certDir(CERT_DIR).build().start()) {
            again.loadSeed(Path.of("seeds", "demo.json"));
            assertThat(again.directory().requireUser(CONTOSO, "adele.vance@contoso.example").id()).isEqualTo(id);
        }
    }

    @Test
    void createsContosoAndFabrikamWithTheirDomains() {
        assertThat(summary.tenants()).extracting(t -> t.id()).containsExactly(CONTOSO, FABRIKAM);
        assertThat(sim.directory().requireTenant("contoso.example").id()).isEqualTo(CONTOSO);
        assertThat(sim.directory().requireTenant("contoso.onmicrosoft.com").id()).isEqualTo(CONTOSO);
        assertThat(sim.directory().requireTenant("fabrikam.example").id()).isEqualTo(FABRIKAM);
        // 51 members (50 of them enabled: the demo sync imports 50) and a guest
        assertThat(sim.directory().userCount(CONTOSO)).isEqualTo(52);
        assertThat(sim.directory().users(CONTOSO).stream().filter(u -> u.accountEnabled() && !"Guest".equals(u.userType()))).hasSize(50);
        assertThat(sim.directory().user(CONTOSO, "adele.vance@contoso.example")).isPresent();
    }

    @Test
    void theDemoAppAuthenticatesWithTheDocumentedSecret() {
        AppRegistration app = sim.directory().requireApp(APP);
        // ./run's address, and the compose setup's balancer
        assertThat(app.redirectUris()).containsExactly("http://localhost:8080/realms/demo/broker/contoso-entra/endpoint",
                "https://localhost:8443/realms/demo/broker/contoso-entra/endpoint");
        assertThat(app.permissions()).contains("User.Read.All", "Group.Read.All", "GroupMember.Read.All",
                "Organization.Read.All", "Domain.Read.All", "ProfilePhoto.Read.All");
        HttpResponse<String> r = http.postForm(tokenEndpoint(CONTOSO), Map.of("grant_type", "client_credentials",
                "client_id", APP, "client_secret", "demo-contoso-secret-change-me", "scope", GRAPH_DEFAULT));
        assertThat(r.statusCode()).isEqualTo(200);
        String token = TestHttp.json(r).get("access_token").asText();
        Group sales = sim.directory().findGroup(CONTOSO, "Sales").orElseThrow();
        JsonNode transitive = graphJson(token, "/v1.0/groups/" + sales.id() + "/transitiveMembers/microsoft.graph.user");
        assertThat(transitive.get("value").size()).isGreaterThan(
                graphJson(token, "/v1.0/groups/" + sales.id() + "/members/microsoft.graph.user").get("value").size());
        assertThat(sim.directory().findGroup(CONTOSO, "Support")).isPresent();
    }
}
