package dev.entrapbx.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.entrapbx.harness.Browserless;
import dev.entrapbx.harness.Customer;
import dev.entrapbx.harness.EntraPbxStack;
import dev.entrapbx.harness.KeycloakAdminClient;
import dev.entrapbx.harness.TestRealm;
import dev.entrapbx.simulator.model.User;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Our admin REST shows users only to admins whom Keycloak's own users API would show them: a
 * realm admin with view-realm alone reads SSO policies and the sync's run list, but neither the SSO
 * decision for an address nor a run's per-user problems; query-users asks about addresses without
 * accounts, view-users sees it all. The admins are the realm's own (roles of its
 * {@code realm-management} client), signed in through the realm's {@code admin-cli}.
 */
@ExtendWith(SharedStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminPermissionsIT {

    static final String PASSWORD = "Admin-Passw0rd!-perms";

    EntraPbxStack stack;
    KeycloakAdminClient admin;
    TestRealm realm;
    Customer customer;
    User ann;
    String syncId;
    String runId;
    /** view-realm only. */
    KeycloakAdminClient auditor;
    /** view-realm and query-users. */
    KeycloakAdminClient searcher;
    /** view-realm and view-users. */
    KeycloakAdminClient helpdesk;

    @BeforeAll
    void setUp(EntraPbxStack stack) {
        this.stack = stack;
        this.admin = stack.keycloak().admin();
        this.realm = TestRealm.create(admin, "admin-perms");
        customer = Customer.in(stack, realm, "permco").permissions(Customer.SYNC_PERMISSIONS).create();
        ann = customer.entraUser("ann");
        customer.entraUser("bob");
        // a local account that holds bob's username: the run names bob (username and object id) as a problem
        realm.createUser("bob@permco.example", "bob.local@elsewhere.example", true, "Local-Passw0rd!");
        syncId = customer.createSync("permco-sync", Map.of());
        customer.sync(syncId, true);
        runId = admin.get(runsPath()).path("runs").get(0).path("id").asText();
        assertThat(admin.get(runPath()).path("problems").toString()).as("fixture").contains("bob@permco.example");

        auditor = realmAdmin("auditor", "view-realm");
        searcher = realmAdmin("searcher", "view-realm", "query-users");
        helpdesk = realmAdmin("helpdesk", "view-realm", "view-users");
        // the same roles as Keycloak's own users API sees them
        assertThat(auditor.send("GET", "/" + realm.name() + "/users", null).status()).isEqualTo(403);
        assertThat(helpdesk.send("GET", "/" + realm.name() + "/users", null).status()).isEqualTo(200);
    }

    @Test
    void theSsoDecisionNeedsTheUserPermissionsOfKeycloaksUsersApi() {
        String known = decisionPath("ann@permco.example");
        String unknown = decisionPath("nobody@permco.example");

        // view-realm alone: no answer for any address, so none can be probed
        assertThat(auditor.send("GET", known, null).status()).isEqualTo(403);
        assertThat(auditor.send("GET", unknown, null).status()).isEqualTo(403);
        // the policies themselves are realm configuration
        assertThat(auditor.send("GET", "/" + realm.name() + "/sso-policy", null).status()).isEqualTo(200);
        assertThat(auditor.send("GET", "/" + realm.name() + "/sso-policy/organizations/" + customer.orgAlias(), null).status())
                .isEqualTo(200);

        // query-users: as GET /users/{id}, an account needs view permission on it
        assertThat(searcher.send("GET", unknown, null).expect(200).json().path("knownUser").asBoolean()).isFalse();
        assertThat(searcher.send("GET", known, null).status()).isEqualTo(403);

        // view-users: the decision and its reason
        JsonNode d = helpdesk.send("GET", known, null).expect(200).json();
        assertThat(d.path("knownUser").asBoolean()).isTrue();
        assertThat(d.path("signIn").asText()).isIn("microsoft", "password");
        assertThat(helpdesk.send("GET", unknown, null).expect(200).json().path("knownUser").asBoolean()).isFalse();
    }

    @Test
    void aRunsPerUserProblemsNeedViewUsersTheRunListDoesNot() {
        // the run list: counts and status, no user
        KeycloakAdminClient.Response runs = auditor.send("GET", runsPath(), null).expect(200);
        assertThat(runs.json().path("runs").get(0).path("id").asText()).isEqualTo(runId);
        assertThat(runs.json().path("runs").get(0).path("failed").asInt()).isPositive();
        assertThat(runs.body()).doesNotContain("bob@permco.example", ann.id());
        assertThat(auditor.send("GET", "/" + realm.name() + "/entra-sync/" + syncId + "/state", null).status()).isEqualTo(200);

        // a run with its problems names users and object ids
        assertThat(auditor.send("GET", runPath(), null).status()).isEqualTo(403);
        assertThat(searcher.send("GET", runPath(), null).status()).as("query-users lists no one unfiltered").isEqualTo(403);
        JsonNode run = helpdesk.send("GET", runPath(), null).expect(200).json();
        assertThat(run.path("problemsTotal").asLong()).isPositive();
        assertThat(run.path("problems").toString()).contains("bob@permco.example", "is taken by a Keycloak user");
    }

    private String decisionPath(String user) {
        return "/" + realm.name() + "/sso-policy/decision?user=" + Browserless.enc(user);
    }

    private String runsPath() {
        return "/" + realm.name() + "/entra-sync/" + syncId + "/runs?max=1";
    }

    private String runPath() {
        return "/" + realm.name() + "/entra-sync/" + syncId + "/runs/" + runId + "?max=1000";
    }

    /** A user of the test realm with these roles of its realm-management client, signed in as its admin. */
    private KeycloakAdminClient realmAdmin(String username, String... roles) {
        String userId = realm.createUser(username, username + "@admins.example", true, PASSWORD);
        String client = admin.get("/" + realm.name() + "/clients?clientId=realm-management").get(0).path("id").asText();
        List<JsonNode> reps = new ArrayList<>();
        for (String role : roles) {
            reps.add(admin.get("/" + realm.name() + "/clients/" + client + "/roles/" + role));
        }
        admin.send("POST", "/" + realm.name() + "/users/" + userId + "/role-mappings/clients/" + client, reps).expect(204);
        return KeycloakAdminClient.inRealm(stack.keycloak().baseUrl(), realm.name(), username, PASSWORD);
    }
}
