package dev.entrapbx.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.entrapbx.simulator.model.User;
import dev.entrapbx.simulator.support.DeltaRound;
import dev.entrapbx.simulator.support.SimulatorTestSupport;
import dev.entrapbx.simulator.support.TestHttp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class UsersDeltaTest extends SimulatorTestSupport {
    private Fixture fx;
    private String token;
    private final List<User> users = new ArrayList<>();

    @BeforeEach
    void seed() {
        fx = fixture("Delta");
        users.clear();
        for (int i = 0; i < 12; i++) {
            users.add(sim.directory().createUser(fx.tenantId(), User.builder().userPrincipalName("d" + i + "@" + fx.domain())
                    .givenName("Given" + i).surname("Sur" + i).displayName("User " + i).jobTitle("Agent")
                    .department("Support")));
        }
        token = appToken(fx);
    }

    private DeltaRound round(String url, String... headers) {
        return DeltaRound.run(url, (u, n) -> graphJson(token, u, headers));
    }

    @Test
    void firstRoundPagesThroughAllUsersWithSelectCarriedInTheLinks() {
        DeltaRound first = round("/v1.0/users/delta?$select=displayName,jobTitle", "Prefer", "odata.maxpagesize=5");
        assertThat(first.pages()).isEqualTo(3);
        assertThat(first.items()).hasSize(12);
        assertThat(first.ids()).containsExactlyInAnyOrderElementsOf(users.stream().map(User::id).toList());
        JsonNode one = first.item(users.get(0).id());
        assertThat(one.fieldNames()).toIterable().containsExactly("displayName", "jobTitle", "id");
        assertThat(first.deltaLink()).startsWith(sim.baseUrl() + "/v1.0/users/delta?$deltatoken=")
                .doesNotContain("$select");

        HttpResponse<String> page = graphGet(token, "/v1.0/users/delta?$select=displayName", "Prefer", "odata.maxpagesize=5");
        assertThat(page.headers().firstValue("Preference-Applied")).contains("odata.maxpagesize=5");
        assertThat(TestHttp.json(page).get("@odata.nextLink").asText()).contains("$skiptoken=").doesNotContain("$select");
    }

    @Test
    void topAlsoSetsThePageSizeAndTheSdkSpellingsWork() {
        assertThat(round("/v1.0/users/delta?$top=4").pages()).isEqualTo(3);
        assertThat(round("/v1.0/users/delta()?$top=6").pages()).isEqualTo(2);
        assertThat(round("/v1.0/users/microsoft.graph.delta()").items()).hasSize(12);
    }

    @Test
    void nextRoundReportsOnlyChangedUsersWithAllSelectedProperties() {
        DeltaRound first = round("/v1.0/users/delta?$select=displayName,jobTitle,mobilePhone");
        sim.directory().updateUser(fx.tenantId(), users.get(3).id(), b -> b.jobTitle("Team Lead"));
        sim.directory().updateUser(fx.tenantId(), users.get(3).id(), b -> b.displayName("Renamed"));
        sim.directory().updateUser(fx.tenantId(), users.get(4).id(), b -> b.department("Sales")); // not selected
        User added = sim.directory().createUser(fx.tenantId(), User.builder().userPrincipalName("new@" + fx.domain())
                .displayName("Newcomer"));

        DeltaRound second = round(first.deltaLink());
        assertThat(second.ids()).containsExactlyInAnyOrder(users.get(3).id(), added.id());
        JsonNode changed = second.item(users.get(3).id());
        // default behaviour: all selected properties that have a value, unchanged ones included
        assertThat(changed.get("displayName").asText()).isEqualTo("Renamed");
        assertThat(changed.get("jobTitle").asText()).isEqualTo("Team Lead");
        assertThat(changed.has("mobilePhone")).isFalse();

        DeltaRound third = round(second.deltaLink());
        assertThat(third.items()).isEmpty();
        assertThat(third.pages()).isEqualTo(1);
    }

    @Test
    void preferReturnMinimalSendsOnlyChangedPropertiesIncludingNulls() {
        DeltaRound first = round("/v1.0/users/delta?$select=displayName,jobTitle,department");
        sim.directory().updateUser(fx.tenantId(), users.get(1).id(), b -> b.jobTitle(null).department("Sales"));
        DeltaRound second = round(first.deltaLink(), "Prefer", "return=minimal");
        JsonNode item = second.item(users.get(1).id());
        assertThat(item.fieldNames()).toIterable().containsExactlyInAnyOrder("id", "jobTitle", "department");
        assertThat(item.get("jobTitle").isNull()).isTrue();
        assertThat(item.get("department").asText()).isEqualTo("Sales");
    }

    @Test
    void withoutSelectEveryPropertyIsTrackedAndTheDefaultSetReturned() {
        DeltaRound first = round("/v1.0/users/delta");
        sim.directory().updateUser(fx.tenantId(), users.get(2).id(), b -> b.department("Finance"));
        sim.directory().updateUser(fx.tenantId(), users.get(5).id(), b -> b.extensionAttribute(3, "x"));
        DeltaRound second = round(first.deltaLink());
        assertThat(second.ids()).containsExactlyInAnyOrder(users.get(2).id(), users.get(5).id());
        assertThat(second.item(users.get(2).id()).get("userPrincipalName").asText()).isEqualTo(users.get(2).userPrincipalName());
    }

    @Test
    void softAndHardDeletionsAreReportedWithTheirReason() {
        DeltaRound first = round("/v1.0/users/delta?$select=displayName");
        sim.directory().deleteUser(fx.tenantId(), users.get(6).id());
        sim.directory().hardDeleteUser(fx.tenantId(), users.get(7).id());
        sim.directory().deleteUser(fx.tenantId(), users.get(8).id());
        sim.directory().hardDeleteUser(fx.tenantId(), users.get(8).id());
        DeltaRound second = round(first.deltaLink());
        assertThat(second.items()).hasSize(3);
        assertThat(second.item(users.get(6).id()).at("/@removed/reason").asText()).isEqualTo("changed");
        assertThat(second.item(users.get(7).id()).at("/@removed/reason").asText()).isEqualTo("deleted");
        assertThat(second.item(users.get(8).id()).at("/@removed/reason").asText()).isEqualTo("deleted");
        assertThat(second.item(users.get(6).id()).has("displayName")).isFalse();

        sim.directory().restoreUser(fx.tenantId(), users.get(6).id());
        DeltaRound third = round(second.deltaLink());
        assertThat(third.item(users.get(6).id()).get("displayName").asText()).isEqualTo("User 6");
        assertThat(third.item(users.get(6).id()).has("@removed")).isFalse();
    }

    @Test
    void expiredTokensFailWithSyncStateNotFound() {
        DeltaRound first = round("/v1.0/users/delta");
        JsonNode page1 = graphJson(token, "/v1.0/users/delta", "Prefer", "odata.maxpagesize=5");
        sim.directory().expireDeltaTokens(fx.tenantId());
        for (String url : new String[] {first.deltaLink(), page1.get("@odata.nextLink").asText()}) {
            HttpResponse<String> r = graphGet(token, url);
            assertThat(r.statusCode()).isEqualTo(400);
            JsonNode error = TestHttp.json(r).get("error");
            assertThat(error.get("code").asText()).isEqualTo("syncStateNotFound");
            assertThat(error.get("message").asText()).contains("The delta token is expired");
        }
        DeltaRound restart = round("/v1.0/users/delta");
        assertThat(restart.items()).hasSize(12);
        sim.directory().updateUser(fx.tenantId(), users.get(0).id(), b -> b.jobTitle("After expiry"));
        assertThat(round(restart.deltaLink()).ids()).containsExactly(users.get(0).id());
    }

    @Test
    void forgedTokensAndTokensOfAnotherTenantAreRefused() {
        DeltaRound first = round("/v1.0/users/delta");
        String forged = first.deltaLink().replace("$deltatoken=", "$deltatoken=x");
        assertThat(TestHttp.json(graphGet(token, forged)).at("/error/code").asText()).isEqualTo("syncStateNotFound");
        Fixture other = fixture("Intruder");
        assertThat(graphGet(appToken(other), first.deltaLink()).statusCode()).isEqualTo(400);
    }

    @Test
    void synchronizationResetAnswers410WithTheInitialQueryAsLocation() {
        DeltaRound first = round("/v1.0/users/delta?$select=displayName");
        sim.directory().requireDeltaResync(fx.tenantId());
        HttpResponse<String> gone = graphGet(token, first.deltaLink());
        assertThat(gone.statusCode()).isEqualTo(410);
        String location = gone.headers().firstValue("Location").orElseThrow();
        assertThat(location).contains("/v1.0/users/delta?$deltatoken=&$select=displayName");
        DeltaRound again = round(location);
        assertThat(again.items()).hasSize(12);
        assertThat(again.items().get(0).has("jobTitle")).isFalse();
    }

    @Test
    void deltaTokenLatestStartsFromNow() {
        JsonNode latest = graphJson(token, "/v1.0/users/delta?$deltatoken=latest");
        assertThat(latest.get("value")).isEmpty();
        sim.directory().updateUser(fx.tenantId(), users.get(9).id(), b -> b.jobTitle("Changed"));
        assertThat(round(latest.get("@odata.deltaLink").asText()).ids()).containsExactly(users.get(9).id());
    }

    @Test
    void filterByIdsLimitsTheTrackedUsers() {
        String filter = URLEncoder.encode("id eq '" + users.get(0).id() + "' or id eq '" + users.get(1).id() + "'",
                StandardCharsets.UTF_8);
        DeltaRound first = round("/v1.0/users/delta/?$filter=" + filter);
        assertThat(first.ids()).containsExactlyInAnyOrder(users.get(0).id(), users.get(1).id());
        sim.directory().updateUser(fx.tenantId(), users.get(1).id(), b -> b.jobTitle("x"));
        sim.directory().updateUser(fx.tenantId(), users.get(2).id(), b -> b.jobTitle("x"));
        assertThat(round(first.deltaLink()).ids()).containsExactly(users.get(1).id());
        String unsupported = URLEncoder.encode("department eq 'Support'", StandardCharsets.UTF_8);
        assertThat(graphGet(token, "/v1.0/users/delta?$filter=" + unsupported).statusCode()).isEqualTo(400);
    }

    @Test
    void manyChangesPageThroughTheChangeLog() {
        DeltaRound first = round("/v1.0/users/delta");
        for (int i = 0; i < 30; i++) {
            sim.directory().createUser(fx.tenantId(), User.builder().userPrincipalName("late" + i + "@" + fx.domain()));
        }
        DeltaRound second = round(first.deltaLink(), "Prefer", "odata.maxpagesize=10");
        assertThat(second.items()).hasSize(30);
        assertThat(second.pages()).isEqualTo(3);
    }
}
