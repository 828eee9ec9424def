package dev.entrapbx.it;

import static dev.entrapbx.harness.Customer.attr;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.entrapbx.harness.Browserless;
import dev.entrapbx.harness.Customer;
import dev.entrapbx.harness.Database;
import dev.entrapbx.harness.EntraPbxStack;
import dev.entrapbx.harness.KeycloakAdminClient;
import dev.entrapbx.harness.Poll;
import dev.entrapbx.harness.TestRealm;
import dev.entrapbx.simulator.fault.FaultRule;
import dev.entrapbx.simulator.model.User;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Entra user sync through the real Keycloak and the simulator: what a partner admin sees
 * after clicking "Synchronize all users" / "Synchronize changed users".
 */
@ExtendWith(SharedStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EntraSyncIT {

    /** Users per transaction of the sync (EntraSync.TX_SIZE), and slices written at the same time (EntraSync.PARALLEL_SLICES). */
    interface EntraSyncITConstants {
        int SLICE = 250;
        int PARALLEL_SLICES = 2;
    }

    EntraPbxStack stack;
    KeycloakAdminClient admin;
    TestRealm realm;

    @BeforeAll
    void setUp(EntraPbxStack stack) {
        this.stack = stack;
        this.admin = stack.keycloak().admin();
        this.realm = TestRealm.create(admin, "sync-it");
    }

    @AfterEach
    void clearFaults() {
        stack.simulator().faults().clear();
    }

    /** A customer of its own per test, with the Graph permissions the sync needs. */
    private Customer syncCustomer(TestRealm in, String name) {
        return Customer.in(stack, in, name).permissions(Customer.SYNC_PERMISSIONS).create();
    }

    private static Map<String, String> cfg(String... kv) {
        return Customer.settings(kv);
    }

    @Test
    void fullSyncImportsEveryMemberWithExtensionLinkedToTheIdpAndInTheOrganization() {
        Customer f = syncCustomer(realm, "northwind");
        User ann = f.entraUser("ann", Map.of("jobTitle", "Dispatcher", "department", "Ops",
                "businessPhones", List.of("+1 425 555 0101"), "mobilePhone", "+1 425 555 0199",
                "onPremisesExtensionAttributes", Map.of("extensionAttribute3", "cost-42", "extensionAttribute5", LONG_VALUE)));
        for (int i = 0; i < 11; i++) {
            f.entraUser("user" + i);
        }
        f.entraUser("guest", Map.of("userType", "Guest"));
        f.entraUser("off", Map.of("accountEnabled", false));

        String id = f.createSync("northwind-sync", cfg("extensionRange", "200-299"));
        JsonNode result = f.sync(id, true);
        assertThat(result.path("added").asInt()).isEqualTo(12);

        Map<String, JsonNode> members = f.members();
        assertThat(members).hasSize(12).containsKey("ann@northwind.example")
                .doesNotContainKeys("guest@northwind.example", "off@northwind.example");
        JsonNode a = members.get("ann@northwind.example");
        assertThat(a.path("email").asText()).isEqualTo("ann@northwind.example");
        assertThat(a.path("emailVerified").asBoolean()).as("domain verified in the tenant").isTrue();
        assertThat(a.path("firstName").asText()).isEqualTo("Ann");
        assertThat(a.path("federationLink").asText()).isEqualTo(id);
        assertThat(attr(a, "jobTitle")).isEqualTo("Dispatcher");
        assertThat(attr(a, "department")).isEqualTo("Ops");
        assertThat(attr(a, "businessPhones")).isEqualTo("+1 425 555 0101");
        assertThat(attr(a, "mobilePhone")).isEqualTo("+1 425 555 0199");
        assertThat(attr(a, "entraExtensionAttribute3")).isEqualTo("cost-42");
        assertThat(attr(a, "entraExtensionAttribute5")).as("a value longer than 255 characters").isEqualTo(LONG_VALUE);
        assertThat(attr(a, "entraObjectId")).isEqualTo(ann.id());
        assertThat(attr(a, "entraTenantId")).isEqualTo(f.tenantId());
        List<String> ext = Customer.extensions(members);
        assertThat(ext).hasSize(12).doesNotHaveDuplicates().allMatch(e -> Integer.parseInt(e) >= 200 && Integer.parseInt(e) < 212);

        List<JsonNode> links = realm.federatedIdentities(a.path("id").asText());
        assertThat(links).hasSize(1);
        assertThat(links.get(0).path("identityProvider").asText()).isEqualTo(f.idpAlias());
        assertThat(links.get(0).path("userId").asText()).as("brokered id = Entra object id").isEqualTo(ann.id());

        JsonNode run = f.lastRun(id);
        assertThat(run.path("status").asText()).isEqualTo("SUCCESS");
        assertThat(run.path("trigger").asText()).isEqualTo("full");
        assertThat(run.path("added").asInt()).isEqualTo(12);
        assertThat(run.path("skipped").asInt()).as("guest and disabled account").isEqualTo(2);
        assertThat(run.path("endedAt").isNull()).isFalse();

        // the same again changes nothing, and keeps every number
        Map<String, String> before = extensionsByUser(members);
        JsonNode again = f.sync(id, true);
        assertThat(again.path("added").asInt()).isZero();
        assertThat(again.path("updated").asInt()).isZero();
        assertThat(extensionsByUser(f.members())).isEqualTo(before);
    }

    /** Longer than USER_ATTRIBUTE.VALUE (255): Keycloak keeps it in LONG_VALUE with its hashes. */
    static final String LONG_VALUE = "cost centre notes: " + "0123456789".repeat(40);

    /**
     * A realm whose new users get a default group is served by Keycloak's own adapter (the sync's
     * batch insert writes exactly a row per table): synced users are members of the default group as
     * well as of the organization, with their attributes, extension and IdP link.
     */
    @Test
    void aRealmsDefaultGroupsAreGivenToSyncedUsers() {
        TestRealm withDefaults = TestRealm.create(admin, "sync-defaults");
        admin.send("POST", "/" + withDefaults.name() + "/groups", Map.of("name", "pbx-users")).expect(201);
        String groupId = admin.get("/" + withDefaults.name() + "/groups?search=pbx-users&exact=true").get(0).path("id").asText();
        admin.send("PUT", "/" + withDefaults.name() + "/default-groups/" + groupId, null).expect(204);
        Customer f = syncCustomer(withDefaults, "defaults");
        f.entraUser("dora", Map.of("onPremisesExtensionAttributes", Map.of("extensionAttribute5", LONG_VALUE)));
        f.entraUser("dan");
        String id = f.createSync("defaults-sync", cfg("extensionRange", "300-399"));
        JsonNode r = f.sync(id, true);
        assertThat(r.path("added").asInt()).isEqualTo(2);
        Map<String, JsonNode> members = f.members();
        assertThat(members).hasSize(2);
        for (JsonNode u : members.values()) {
            List<String> groups = new ArrayList<>();
            admin.get("/" + withDefaults.name() + "/users/" + u.path("id").asText() + "/groups").forEach(g -> groups.add(g.path("name").asText()));
            assertThat(groups).as(u.path("username").asText() + " in the default group").contains("pbx-users");
            assertThat(withDefaults.federatedIdentities(u.path("id").asText())).hasSize(1);
        }
        assertThat(attr(members.get("dora@defaults.example"), "entraExtensionAttribute5")).isEqualTo(LONG_VALUE);
        assertThat(Customer.extensions(members)).hasSize(2).doesNotHaveDuplicates();
        admin.send("DELETE", "/" + withDefaults.name(), null).expect(204);
    }

    private static Map<String, String> extensionsByUser(Map<String, JsonNode> members) {
        Map<String, String> m = new LinkedHashMap<>();
        members.forEach((k, v) -> m.put(k, attr(v, "extension")));
        return m;
    }

    @Test
    void changedSyncAppliesOnlyWhatChangedInEntraAndKeepsExtensionsAcrossRenames() {
        Customer f = syncCustomer(realm, "contoso-delta");
        List<User> users = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            users.add(f.entraUser("person" + i));
        }
        String id = f.createSync("contoso-delta-sync", cfg("deleteGraceDays", "30"));
        f.sync(id, true);
        String ext0 = attr(f.user("person0@contoso-delta.example"), "extension");

        f.entraUser("newhire", Map.of("jobTitle", "Agent"));
        f.directory().patchUser(f.tenantId(), users.get(1).id(), Map.of("jobTitle", "Team lead"));
        f.directory().patchUser(f.tenantId(), users.get(0).id(), Map.of("userPrincipalName", "renamed0@contoso-delta.example",
                "mail", "renamed0@contoso-delta.example"));
        f.directory().deleteUser(f.tenantId(), users.get(2).id());
        f.directory().patchUser(f.tenantId(), users.get(3).id(), Map.of("accountEnabled", false));

        JsonNode r = f.sync(id, false);
        assertThat(r.path("added").asInt()).isEqualTo(1);
        assertThat(r.path("updated").asInt()).as("job title and rename").isEqualTo(2);
        assertThat(r.path("removed").asInt()).as("deleted and disabled in Entra").isEqualTo(2);
        JsonNode run = f.lastRun(id);
        assertThat(run.path("mode").asText()).isEqualTo("changed");
        assertThat(run.path("added").asInt() + run.path("updated").asInt() + run.path("disabled").asInt())
                .as("only the touched users were processed").isEqualTo(5);

        assertThat(attr(f.user("newhire@contoso-delta.example"), "jobTitle")).isEqualTo("Agent");
        assertThat(attr(f.user("person1@contoso-delta.example"), "jobTitle")).isEqualTo("Team lead");
        JsonNode renamed = f.user("renamed0@contoso-delta.example");
        assertThat(renamed.isMissingNode()).as("renamed user").isFalse();
        assertThat(attr(renamed, "extension")).as("extension survives the rename").isEqualTo(ext0);
        JsonNode deleted = f.user("person2@contoso-delta.example");
        assertThat(deleted.path("enabled").asBoolean()).as("deleted in Entra: disabled at once").isFalse();
        assertThat(attr(deleted, "entraDisabledAt")).isNotNull();
        assertThat(f.user("person3@contoso-delta.example").path("enabled").asBoolean()).isFalse();

        // restored in Entra: enabled again, same number
        String ext2 = attr(deleted, "extension");
        f.directory().restoreUser(f.tenantId(), users.get(2).id());
        f.sync(id, false);
        JsonNode back = f.user("person2@contoso-delta.example");
        assertThat(back.path("enabled").asBoolean()).isTrue();
        assertThat(attr(back, "extension")).isEqualTo(ext2);
        assertThat(attr(back, "entraDisabledAt")).isNull();
    }

    @Test
    void disabledUsersAreDeletedAfterTheGracePeriodAndTheirNumberIsQuarantined() {
        Customer f = syncCustomer(realm, "grace");
        List<User> users = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            users.add(f.entraUser("g" + i));
        }
        String id = f.createSync("grace-sync", cfg("deleteGraceDays", "30", "extensionRange", "100-110"));
        f.sync(id, true);
        String leaverExt = attr(f.user("g0@grace.example"), "extension");
        f.directory().hardDeleteUser(f.tenantId(), users.get(0).id());
        f.sync(id, false);
        JsonNode leaver = f.user("g0@grace.example");
        assertThat(leaver.path("enabled").asBoolean()).isFalse();

        // 31 days later (the decision reads when the sync disabled the user)
        Map<String, Object> rep = new LinkedHashMap<>();
        Map<String, Object> attributes = new LinkedHashMap<>();
        leaver.path("attributes").fields().forEachRemaining(e -> {
            List<String> v = new ArrayList<>();
            e.getValue().forEach(x -> v.add(x.asText()));
            attributes.put(e.getKey(), v);
        });
        attributes.put("entraDisabledAt", List.of(Instant.now().minus(31, ChronoUnit.DAYS).toString()));
        rep.put("attributes", attributes);
        rep.put("username", leaver.path("username").asText());
        rep.put("email", leaver.path("email").asText());
        rep.put("firstName", leaver.path("firstName").asText());
        rep.put("lastName", leaver.path("lastName").asText());
        admin.send("PUT", "/" + realm.name() + "/users/" + leaver.path("id").asText(), rep).expect(204);
        JsonNode r = f.sync(id, false);
        assertThat(r.path("removed").asInt()).isEqualTo(1);
        assertThat(f.user("g0@grace.example").isMissingNode()).as("deleted after the grace period").isTrue();
        assertThat(f.lastRun(id).path("deleted").asInt()).isEqualTo(1);

        // the freed number is not given to the next new user (quarantine, default 90 days)
        f.entraUser("newcomer");
        f.sync(id, false);
        assertThat(attr(f.user("newcomer@grace.example"), "extension")).isNotEqualTo(leaverExt);
    }

    @Test
    void anAdminDeletesASyncedUserAndAFullSyncBringsItBackWithItsNumber() {
        Customer f = syncCustomer(realm, "admindel");
        for (int i = 0; i < 3; i++) {
            f.entraUser("d" + i);
        }
        String id = f.createSync("admindel-sync", cfg("extensionRange", "120-129"));
        f.sync(id, true);
        JsonNode victim = f.user("d0@admindel.example");
        String number = attr(victim, "extension");

        // deleted in Keycloak (console or admin REST), as with a read-only LDAP federation: Entra is not written
        admin.send("DELETE", "/" + realm.name() + "/users/" + victim.path("id").asText(), null).expect(204);
        assertThat(f.user("d0@admindel.example").isMissingNode()).isTrue();
        // its number is held in quarantine: a newcomer does not get it
        f.entraUser("newcomer");
        f.sync(id, false);
        assertThat(attr(f.user("newcomer@admindel.example"), "extension")).isNotEqualTo(number);
        assertThat(f.user("d0@admindel.example").isMissingNode()).as("a changed sync sees no change of it in Entra").isTrue();

        // still in scope: the next full sync imports it again, and the same person gets the same number back
        f.sync(id, true);
        JsonNode back = f.user("d0@admindel.example");
        assertThat(back.isMissingNode()).isFalse();
        assertThat(back.path("id").asText()).isNotEqualTo(victim.path("id").asText());
        assertThat(attr(back, "extension")).isEqualTo(number);
    }

    @Test
    void extensionsFromAnEntraAttributeFallBackToTheRangeOnConflictAndAreFlaggedWhenTheRangeIsExhausted() {
        Customer f = syncCustomer(realm, "fabrikam-ext");
        f.entraUser("alice", Map.of("businessPhones", List.of("+49 89 1234-4711")));
        f.entraUser("dave", Map.of("businessPhones", List.of("0800 12 0042")));
        f.entraUser("carol"); // no phone: from the range
        String id = f.createSync("fabrikam-ext-sync", cfg("extensionMode", "attribute", "extensionSource", "businessPhones[0]",
                "extensionRange", "500-501"));
        f.sync(id, true);
        assertThat(attr(f.user("alice@fabrikam-ext.example"), "extension")).isEqualTo("4711");
        assertThat(attr(f.user("dave@fabrikam-ext.example"), "extension")).as("leading zero kept").isEqualTo("0042");
        assertThat(attr(f.user("carol@fabrikam-ext.example"), "extension")).isEqualTo("500");

        f.entraUser("bob", Map.of("businessPhones", List.of("+49 30 9999 4711"))); // the same last four digits
        f.sync(id, false);
        assertThat(attr(f.user("bob@fabrikam-ext.example"), "extension")).as("conflict: from the range").isEqualTo("501");
        assertThat(f.lastRun(id).path("problems").toString()).contains("held by someone else; got 501 from the range");

        f.entraUser("erin");
        f.sync(id, false);
        JsonNode erin = f.user("erin@fabrikam-ext.example");
        assertThat(erin.isMissingNode()).as("still imported").isFalse();
        assertThat(attr(erin, "extension")).isNull();
        assertThat(attr(erin, "entraSyncFlag")).isEqualTo("extension-range-exhausted");
        JsonNode run = f.lastRun(id);
        assertThat(run.path("added").asInt()).isEqualTo(1);
        assertThat(run.path("problems").toString()).contains("range 500-501 is exhausted");
        assertThat(Customer.extensions(f.members())).doesNotHaveDuplicates().hasSize(4);
    }

    @Test
    void concurrentSyncsOfTwoComponentsIntoOneOrganizationNeverDuplicateANumber() throws Exception {
        Customer f = syncCustomer(realm, "concurrent");
        f.directory().generateUsers(f.tenantId(), 400, f.domain(), "a");
        // a second tenant (a merged subsidiary) synced into the same organization with its own app
        Customer subsidiary = Customer.in(stack, realm, "concurrent-b").displayName("Concurrent B")
                .permissions("User.Read.All", "Domain.Read.All").withoutIdp().withoutOrganization().create();
        f.directory().generateUsers(subsidiary.tenantId(), 400, subsidiary.domain(), "b");
        String a = f.createSync("concurrent-a", cfg("extensionRange", "1000-2999"));
        String b = f.createSync("concurrent-b", cfg("extensionRange", "1000-2999", "reuseIdpCredentials", "false",
                "entraTenant", subsidiary.tenantId(), "clientId", subsidiary.appId(), "clientSecret", subsidiary.secret(),
                "entraAuthorityHostOverride", stack.simulator().baseUrl()));
        int enabledA = f.enabledEntraUsers();
        int enabledB = subsidiary.enabledEntraUsers();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<JsonNode> fa = pool.submit(() -> f.sync(a, true));
            Future<JsonNode> fb = pool.submit(() -> f.sync(b, true));
            assertThat(fa.get().path("added").asInt()).isEqualTo(enabledA);
            assertThat(fb.get().path("added").asInt()).isEqualTo(enabledB);
        } finally {
            pool.shutdownNow();
        }
        Map<String, JsonNode> m = f.members();
        assertThat(m).hasSize(enabledA + enabledB);
        List<String> ext = Customer.extensions(m);
        assertThat(ext).hasSize(enabledA + enabledB).doesNotHaveDuplicates();
        assertThat(ext.stream().mapToInt(Integer::parseInt).max().orElseThrow()).as("first free numbers, no gaps")
                .isEqualTo(1000 + enabledA + enabledB - 1);
    }

    @Test
    void theGuardHoldsBackMassRemovalUntilAnAdminConfirms() {
        Customer f = syncCustomer(realm, "guarded");
        List<User> users = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            users.add(f.entraUser("u" + i));
        }
        String id = f.createSync("guarded-sync", cfg("guardMaxPercent", "25", "guardMaxUsers", "50"));
        f.sync(id, true);
        for (int i = 0; i < 10; i++) {
            f.directory().hardDeleteUser(f.tenantId(), users.get(i).id()); // Entra "suddenly" returns half the users
        }
        JsonNode r = f.sync(id, true);
        assertThat(r.path("removed").asInt()).isZero();
        assertThat(f.members().values()).allMatch(u -> u.path("enabled").asBoolean());
        JsonNode run = f.lastRun(id);
        assertThat(run.path("status").asText()).isEqualTo("GUARDED");
        assertThat(run.path("message").asText()).contains("would disable or delete 10 of 20");
        List<JsonNode> guardEvents = new ArrayList<>();
        admin.get("/" + realm.name() + "/admin-events?max=1000").forEach(e -> {
            if ("ENTRA_SYNC_GUARD".equals(e.path("resourceType").asText()) && e.path("resourcePath").asText().endsWith(id)) {
                guardEvents.add(e);
            }
        });
        assertThat(guardEvents).as("admin event raised").isNotEmpty();

        admin.send("POST", "/" + realm.name() + "/entra-sync/" + id + "/guard/confirm", null).expect(200);
        JsonNode confirmed = f.sync(id, true);
        assertThat(confirmed.path("removed").asInt()).isEqualTo(10);
        assertThat(f.members().values().stream().filter(u -> !u.path("enabled").asBoolean()).count()).isEqualTo(10);
        // the confirmation was used once
        JsonNode state = admin.get("/" + realm.name() + "/entra-sync/" + id + "/state");
        assertThat(state.path("guardConfirmed").asBoolean()).isFalse();
    }

    @Test
    void throttlingAndServerErrorsOnOneInFiveGraphCallsReachTheSameEndState() {
        Customer f = syncCustomer(realm, "flaky");
        f.directory().generateUsers(f.tenantId(), 2500, f.domain(), "load");
        String id = f.createSync("flaky-sync", cfg());
        // one in five Graph calls of this tenant: 429 with Retry-After, or 503 without
        stack.simulator().faults().add(FaultRule.on("GET", "^/v1\\.0/").tenant(f.tenantId()).untilCleared().probability(0.1, 7).throttle(1));
        stack.simulator().faults().add(FaultRule.on("GET", "^/v1\\.0/").tenant(f.tenantId()).untilCleared().probability(0.11, 11)
                .serviceUnavailable(null));
        int enabled = f.enabledEntraUsers();
        JsonNode r = f.sync(id, true);
        assertThat(r.path("added").asInt()).isEqualTo(enabled);
        assertThat(r.path("failed").asInt()).isZero();
        JsonNode run = f.lastRun(id);
        assertThat(run.path("status").asText()).isEqualTo("SUCCESS");
        assertThat(run.path("graphRetries").asInt()).as("faults were hit and retried").isPositive();
        assertThat(Customer.extensions(f.members())).hasSize(enabled).doesNotHaveDuplicates();
    }

    /**
     * PostgreSQL only: a bulk import refreshes the planner statistics of the tables it grows (without
     * it, the lookups of a 20,000-user import each read every user imported so far: 70 s instead of
     * 29 s in the benchmark).
     */
    @Test
    void aBulkImportOnPostgresqlRefreshesThePlannerStatistics() throws Exception {
        Assumptions.assumeTrue(stack.database().kind() == Database.Kind.POSTGRES,
                "PostgreSQL only: run the ITs with -Dentrapbx.db=postgres (and -Dentrapbx.db.url=... if it is not on 127.0.0.1:5432)");
        Customer f = syncCustomer(realm, "bulk");
        f.directory().generateUsers(f.tenantId(), 2100, f.domain(), "bulk");
        String id = f.createSync("bulk-sync", cfg("extensionRange", "10000-19999"));
        java.sql.Timestamp before = lastAnalyze("user_attribute");
        JsonNode r = f.sync(id, true);
        assertThat(r.path("added").asInt()).isEqualTo(f.enabledEntraUsers());
        for (String table : List.of("user_entity", "user_attribute", "federated_identity", "entrapbx_extension")) {
            java.sql.Timestamp at = lastAnalyze(table);
            assertThat(at).as(table + " analyzed by the sync").isNotNull();
            if (before != null) {
                assertThat(at).as(table + " analyzed by the sync").isAfter(before);
            }
        }
        assertThat(f.lastRun(id).path("status").asText()).isEqualTo("SUCCESS");
    }

    private java.sql.Timestamp lastAnalyze(String table) throws java.sql.SQLException {
        Database db = stack.database();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(db.url(), db.username(), db.password());
             java.sql.PreparedStatement st = c.prepareStatement(
                     "select last_analyze from pg_stat_user_tables where schemaname = ? and relname = ?")) {
            st.setString(1, stack.schema());
            st.setString(2, table);
            try (java.sql.ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getTimestamp(1) : null;
            }
        }
    }

    @Test
    void aBrokenPageStopsTheRunWithoutAdvancingOrRemovingAnything() {
        Customer f = syncCustomer(realm, "broken");
        for (int i = 0; i < 12; i++) {
            f.entraUser("b" + i);
        }
        String id = f.createSync("broken-sync", cfg());
        f.sync(id, true);
        f.entraUser("later");
        stack.simulator().faults().add(FaultRule.on("GET", "^/v1\\.0/users/delta").tenant(f.tenantId()).untilCleared().truncatedPage());
        JsonNode r = f.sync(id, true);
        assertThat(r.path("removed").asInt()).as("an incomplete answer never removes users").isZero();
        JsonNode run = f.lastRun(id);
        assertThat(run.path("status").asText()).isEqualTo("FAILED");
        assertThat(run.path("message").asText()).contains("incomplete answer").contains("delta link was not advanced");
        assertThat(f.members().values()).hasSize(12).allMatch(u -> u.path("enabled").asBoolean());

        stack.simulator().faults().clear();
        JsonNode ok = f.sync(id, false);
        assertThat(ok.path("added").asInt()).isEqualTo(1);
    }

    @Test
    void anExpiredDeltaTokenFallsBackToAFullSync() {
        Customer f = syncCustomer(realm, "expiry");
        for (int i = 0; i < 5; i++) {
            f.entraUser("e" + i);
        }
        String id = f.createSync("expiry-sync", cfg());
        f.sync(id, true);
        f.entraUser("fresh");
        f.directory().expireDeltaTokens(f.tenantId());
        JsonNode r = f.sync(id, false);
        assertThat(r.path("added").asInt()).isEqualTo(1);
        JsonNode run = f.lastRun(id);
        assertThat(run.path("status").asText()).isEqualTo("SUCCESS");
        assertThat(run.path("mode").asText()).isEqualTo("full");
        assertThat(run.path("message").asText()).contains("expired");
    }

    @Test
    void groupScopeFollowsMembershipChanges() {
        Customer f = syncCustomer(realm, "groupscope");
        User in1 = f.entraUser("in1");
        User in2 = f.entraUser("in2");
        User nested = f.entraUser("nested");
        User out = f.entraUser("out");
        var sub = f.directory().createGroup(f.tenantId(), dev.entrapbx.simulator.model.Group.builder().displayName("Sales EMEA"));
        var sales = f.directory().createGroup(f.tenantId(), dev.entrapbx.simulator.model.Group.builder().displayName("Sales"));
        f.directory().addMember(f.tenantId(), sales.id(), in1.id());
        f.directory().addMember(f.tenantId(), sales.id(), in2.id());
        f.directory().addMember(f.tenantId(), sales.id(), sub.id());
        f.directory().addMember(f.tenantId(), sub.id(), nested.id());
        String id = f.createSync("groupscope-sync", cfg("scope", "groups", "groupIds", sales.id()));
        f.sync(id, true);
        assertThat(f.members().keySet()).containsExactlyInAnyOrder("in1@groupscope.example", "in2@groupscope.example",
                "nested@groupscope.example");

        f.directory().addMember(f.tenantId(), sales.id(), out.id());   // joins, with no change of its own
        f.directory().removeMember(f.tenantId(), sales.id(), in2.id()); // leaves
        f.sync(id, false);
        Map<String, JsonNode> m = f.members();
        assertThat(m).containsKey("out@groupscope.example");
        assertThat(m.get("in2@groupscope.example").path("enabled").asBoolean()).as("left the group: disabled").isFalse();
        assertThat(attr(m.get("in2@groupscope.example"), "entraDisabledReason")).contains("scope");
    }

    @Test
    void filterScopeImportsOnlyMatchingUsers() {
        Customer f = syncCustomer(realm, "filterscope");
        f.entraUser("s1", Map.of("department", "Sales"));
        f.entraUser("s2", Map.of("department", "Sales"));
        f.entraUser("x1", Map.of("department", "Finance"));
        String id = f.createSync("filterscope-sync", cfg("scope", "filter", "filter", "department eq 'Sales'"));
        f.sync(id, true);
        assertThat(f.members().keySet()).containsExactlyInAnyOrder("s1@filterscope.example", "s2@filterscope.example");
    }

    @Test
    void invalidConfigurationIsRefusedAtSaveTimeWithWhatToFix() {
        Customer f = syncCustomer(realm, "badcfg");
        KeycloakAdminClient.Response noOrg = f.tryCreateSync("bad-1", cfg("organization", "nope"));
        assertThat(noOrg.status()).isEqualTo(400);
        assertThat(noOrg.body()).contains("Organization 'nope' does not exist");
        KeycloakAdminClient.Response range = f.tryCreateSync("bad-2", cfg("extensionRange", "500-100"));
        assertThat(range.status()).isEqualTo(400);
        assertThat(range.body()).contains("ends before it starts");
        KeycloakAdminClient.Response groups = f.tryCreateSync("bad-3", cfg("scope", "groups", "groupIds", "Sales"));
        assertThat(groups.status()).isEqualTo(400);
        assertThat(groups.body()).contains("not an object id");
        KeycloakAdminClient.Response pattern = f.tryCreateSync("bad-4", cfg("extensionMode", "attribute",
                "extensionSource", "businessPhones[0]", "extensionPattern", "(\\d{4"));
        assertThat(pattern.status()).isEqualTo(400);
        assertThat(pattern.body()).contains("not a valid regular expression");
    }

    @Test
    void testConnectionNamesTheMissingPermission() {
        Customer f = Customer.in(stack, realm, "noperm").permissions("Domain.Read.All").create();
        String id = f.createSync("noperm-sync", cfg());
        JsonNode r = admin.send("POST", "/" + realm.name() + "/entra-sync/" + id + "/test-connection", null).expect(200).json();
        assertThat(r.path("tokenAcquired").asBoolean()).isTrue();
        assertThat(r.path("tenantId").asText()).isEqualTo(f.tenantId());
        assertThat(r.path("ok").asBoolean()).isFalse();
        assertThat(r.path("messages").toString()).contains("User.Read.All is not granted (admin consent missing?)");

        Customer good = syncCustomer(realm, "goodperm");
        String gid = good.createSync("goodperm-sync", cfg());
        JsonNode ok = admin.send("POST", "/" + realm.name() + "/entra-sync/" + gid + "/test-connection", null).expect(200).json();
        assertThat(ok.path("ok").asBoolean()).as(ok.toString()).isTrue();
        assertThat(ok.path("missingPermissions").size()).isZero();
    }

    @Test
    void aSyncedUserSignsInThroughTheBrokerWithoutFirstBrokerLogin() {
        Customer f = syncCustomer(realm, "signin");
        f.entraUser("caller");
        String id = f.createSync("signin-sync", cfg());
        f.sync(id, true);
        String userId = f.user("caller@signin.example").path("id").asText();

        Browserless browser = new Browserless(stack.simulator().sslContext());
        Browserless.Page page = browser.follow(browser.get(realm.authorizationRequest(stack.keycloak().baseUrl(), f.idpAlias(),
                "caller@signin.example")), "\u0000");
        assertThat(page.body()).contains("loginfmt");
        Browserless.Page afterForm = browser.submit(page, "loginfmt", Map.of("loginfmt", "caller@signin.example",
                "passwd", Customer.PASSWORD));
        Browserless.Page end = browser.follow(afterForm, TestRealm.CLIENT_REDIRECT);
        assertThat(end.isRedirect()).as(end.body()).isTrue();
        assertThat(end.next().toString()).as("straight back to the client, no first-broker-login page")
                .startsWith(TestRealm.CLIENT_REDIRECT).contains("code=");
        JsonNode login = realm.events("LOGIN").stream().filter(e -> userId.equals(e.path("userId").asText())).findFirst().orElse(null);
        assertThat(login).as("LOGIN event of the synced user").isNotNull();
    }

    /**
     * The usual rollout: SSO first, sync later. Users who signed in with Microsoft before the sync
     * existed (through the organization's IdP, or another IdP of the same tenant that replaced it)
     * are adopted by the first full sync: one account each, federation link, attributes and an
     * extension. A local account that only shares a username with an Entra user is left untouched.
     */
    @Test
    void ssoFirstThenSyncAdoptsTheUsersWhoAlreadySignedInAndNobodyElse() {
        Customer f = syncCustomer(realm, "rollout");
        User early = f.entraUser("early", Map.of("jobTitle", "Agent"));
        User moved = f.entraUser("moved");
        User lookalike = f.entraUser("lookalike");
        f.entraUser("fresh");

        // early signed in with Microsoft through the organization's IdP: Keycloak created and linked her
        Browserless browser = new Browserless(stack.simulator().sslContext());
        Browserless.Page form = browser.follow(browser.get(realm.authorizationRequest(stack.keycloak().baseUrl(), f.idpAlias(),
                "early@rollout.example")), "\u0000");
        Browserless.Page end = browser.follow(browser.submit(form, "loginfmt", Map.of("loginfmt", "early@rollout.example",
                "passwd", Customer.PASSWORD)), TestRealm.CLIENT_REDIRECT);
        assertThat(end.isRedirect() && end.next().toString().startsWith(TestRealm.CLIENT_REDIRECT)).as(end.body()).isTrue();
        String earlyId = admin.get("/" + realm.name() + "/users?email=" + Browserless.enc("early@rollout.example") + "&exact=true")
                .get(0).path("id").asText();
        assertThat(realm.federatedIdentities(earlyId)).singleElement()
                .satisfies(l -> assertThat(l.path("userId").asText()).isEqualTo(early.id()));

        // moved signed in through an older IdP of the same tenant, since replaced (kept, disabled), under another username
        assertThat(realm.createIdp("rollout-old", f.idpConfig()).status()).isEqualTo(201);
        String movedId = realm.createUser("moved.local", "moved@rollout.example", false, "Local-Passw0rd!");
        admin.send("POST", "/" + realm.name() + "/users/" + movedId + "/federated-identity/rollout-old",
                Map.of("identityProvider", "rollout-old", "userId", moved.id(), "userName", "moved@rollout.example")).expect(204);

        // lookalike: a local account with the same username and email, never linked to Microsoft
        String lookalikeId = realm.createUser("lookalike@rollout.example", "lookalike@rollout.example", true, "Local-Passw0rd!");

        String id = f.createSync("rollout-sync", cfg("extensionRange", "300-399"));
        JsonNode result = f.sync(id, true);
        assertThat(result.path("added").asInt()).as("fresh only").isEqualTo(1);
        JsonNode run = f.lastRun(id);
        assertThat(run.path("adopted").asInt()).isEqualTo(2);
        assertThat(run.path("added").asInt()).isEqualTo(1);
        assertThat(run.path("problems").toString()).contains("lookalike@rollout.example").contains("is taken by a Keycloak user");
        assertThat(run.path("problems").toString()).doesNotContain("early@rollout.example").doesNotContain("moved");

        for (String[] adopted : new String[][] {{earlyId, early.id()}, {movedId, moved.id()}}) {
            JsonNode u = admin.get("/" + realm.name() + "/users/" + adopted[0]);
            assertThat(u.path("federationLink").asText()).isEqualTo(id);
            assertThat(attr(u, "entraObjectId")).isEqualTo(adopted[1]);
            assertThat(attr(u, "extension")).matches("3\\d\\d");
            assertThat(realm.federatedIdentities(adopted[0])).anySatisfy(l -> {
                assertThat(l.path("identityProvider").asText()).isEqualTo(f.idpAlias());
                assertThat(l.path("userId").asText()).isEqualTo(adopted[1]);
            });
        }
        assertThat(attr(admin.get("/" + realm.name() + "/users/" + earlyId), "jobTitle")).isEqualTo("Agent");
        assertThat(f.user("moved@rollout.example").path("id").asText()).as("renamed to its Entra username, no second account")
                .isEqualTo(movedId);
        assertThat(admin.get("/" + realm.name() + "/users?email=" + Browserless.enc("moved@rollout.example") + "&exact=true").size()).isEqualTo(1);

        JsonNode untouched = admin.get("/" + realm.name() + "/users/" + lookalikeId);
        assertThat(untouched.path("federationLink").isMissingNode() || untouched.path("federationLink").isNull()).isTrue();
        assertThat(attr(untouched, "entraObjectId")).isNull();
        assertThat(attr(untouched, "extension")).isNull();
        assertThat(realm.federatedIdentities(lookalikeId)).isEmpty();

        // a second full sync finds them as its own: nothing adopted, added or changed
        f.sync(id, true);
        JsonNode again = f.lastRun(id);
        assertThat(again.path("adopted").asInt()).isZero();
        assertThat(again.path("added").asInt()).isZero();
        assertThat(again.path("updated").asInt()).isZero();
    }

    @Test
    void aSyncCutOffByAKeycloakCrashConvergesOnTheNextRunWithoutDuplicatesOrWrongfulRemovals() throws Exception {
        Customer f = syncCustomer(realm, "crash");
        f.directory().generateUsers(f.tenantId(), 2000, f.domain(), "c");
        int enabled = f.enabledEntraUsers();
        String id = f.createSync("crash-sync", cfg());
        // slow pages, so the crash lands in the middle of the run
        stack.simulator().faults().add(FaultRule.on("GET", "^/v1\\.0/users/delta").tenant(f.tenantId()).untilCleared()
                .latency(java.time.Duration.ofMillis(1500)));
        Thread run = new Thread(() -> {
            try {
                f.sync(id, true);
            } catch (RuntimeException cutOff) {
                // the crash ends the request
            }
        });
        run.start();
        boolean inProgress = Poll.until(Duration.ofSeconds(180), () -> {
            JsonNode runs = f.runs(id, 1);
            return runs.size() == 1 && "RUNNING".equals(runs.get(0).path("status").asText()) && runs.get(0).path("added").asInt() > 0;
        });
        assertThat(inProgress).as("a run in progress with users added").isTrue();
        stack.crashAndRestartKeycloak();
        stack.simulator().faults().clear();
        run.join(60_000);

        // the cut-off run held the component; its hold ends a minute after its last renewal (RunLog.LEASE_MILLIS),
        // until then a run is skipped (Keycloak answers "ignored")
        JsonNode[] next = new JsonNode[1];
        assertThat(Poll.until(Duration.ofSeconds(120), () -> !(next[0] = f.sync(id, true)).path("ignored").asBoolean(false))).isTrue();
        JsonNode r = next[0];
        assertThat(r.path("removed").asInt()).as("nothing removed").isZero();
        Map<String, JsonNode> m = f.members();
        assertThat(m).hasSize(enabled);
        assertThat(m.values()).allMatch(u -> u.path("enabled").asBoolean());
        assertThat(Customer.extensions(m)).hasSize(enabled).doesNotHaveDuplicates();
        JsonNode runs = admin.get("/" + realm.name() + "/entra-sync/" + id + "/runs?max=2").path("runs");
        assertThat(runs.get(0).path("status").asText()).isEqualTo("SUCCESS");
        assertThat(runs.get(1).path("status").asText()).isEqualTo("INTERRUPTED");
        // the cut-off run's last counts may miss the slices that were committing when it died; never more than all
        assertThat(runs.get(0).path("added").asInt() + runs.get(1).path("added").asInt())
                .isBetween(enabled - EntraSyncITConstants.PARALLEL_SLICES * EntraSyncITConstants.SLICE, enabled);
    }
}
