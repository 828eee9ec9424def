package dev.entrapbx.it;

import static dev.entrapbx.harness.Customer.attr;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.entrapbx.harness.Customer;
import dev.entrapbx.harness.EntraPbxStack;
import dev.entrapbx.harness.KeycloakAdminClient;
import dev.entrapbx.harness.PbxDirectoryClient;
import dev.entrapbx.harness.TestRealm;
import dev.entrapbx.simulator.model.Group;
import dev.entrapbx.simulator.model.User;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a PBX backend reads from {@code /realms/{realm}/pbx}: the full read of a phone system, the
 * change feed after syncs and admin edits, cursors across a consumer restart, retention, and who
 * may read what.
 */
@ExtendWith(SharedStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PbxDirectoryIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    EntraPbxStack stack;
    KeycloakAdminClient admin;
    TestRealm realm;
    PbxDirectoryClient pbx;

    @BeforeAll
    void setUp(EntraPbxStack stack) {
        this.stack = stack;
        this.admin = stack.keycloak().admin();
        this.realm = TestRealm.create(admin, "pbx-it");
        this.pbx = PbxDirectoryClient.create(admin, stack.keycloak().baseUrl(), realm.name(), "pbx-backend", true, null);
    }

    private Customer customer(String name) {
        return Customer.in(stack, realm, name).permissions(Customer.SYNC_PERMISSIONS).create();
    }

    @Test
    void theFullReadListsEveryMemberAsTheSyncWroteIt() {
        Customer f = customer("dir-read");
        User ann = f.entraUser("ann", Map.of("jobTitle", "Dispatcher", "department", "Ops", "businessPhones", List.of("+1 425 555 0101"),
                "mobilePhone", "+1 425 555 0199", "officeLocation", "Building 7"));
        for (int i = 0; i < 6; i++) {
            f.entraUser("user" + i);
        }
        String sync = f.createSync("dir-read-sync", Map.of("extensionRange", "300-399"));
        f.sync(sync, true);
        String local = f.localMember("desk-phone", "desk@dir-read.example", "Passw0rd!local");

        List<JsonNode> entries = pbx.readAll(f.orgAlias(), 3, null);
        Map<String, JsonNode> members = f.members();
        assertThat(entries).hasSize(members.size()).hasSize(8);
        Set<String> ids = new HashSet<>();
        for (JsonNode e : entries) {
            JsonNode m = members.get(e.path("username").asText());
            assertThat(m).as(e.toString()).isNotNull();
            assertThat(ids.add(e.path("id").asText())).as("each member once across pages").isTrue();
            assertThat(e.path("id").asText()).isEqualTo(m.path("id").asText());
            assertThat(e.path("email").asText()).isEqualTo(m.path("email").asText());
            assertThat(e.path("enabled").asBoolean()).isEqualTo(m.path("enabled").asBoolean());
            assertThat(e.path("firstName").asText()).isEqualTo(m.path("firstName").asText());
            assertThat(e.path("lastName").asText()).isEqualTo(m.path("lastName").asText());
            assertThat(nullable(e.path("extension"))).isEqualTo(attr(m, "extension"));
            assertThat(nullable(e.path("entraObjectId"))).isEqualTo(attr(m, "entraObjectId"));
            assertThat(e.has("groups")).isTrue();
            assertThat(e.has("photo")).isTrue();
        }
        JsonNode a = entries.stream().filter(e -> e.path("username").asText().equals("ann@dir-read.example")).findFirst().orElseThrow();
        assertThat(a.path("jobTitle").asText()).isEqualTo("Dispatcher");
        assertThat(a.path("department").asText()).isEqualTo("Ops");
        assertThat(a.path("businessPhones").get(0).asText()).isEqualTo("+1 425 555 0101");
        assertThat(a.path("mobilePhone").asText()).isEqualTo("+1 425 555 0199");
        assertThat(a.path("officeLocation").asText()).isEqualTo("Building 7");
        assertThat(a.path("entraObjectId").asText()).isEqualTo(ann.id());
        assertThat(a.path("entraTenantId").asText()).isEqualTo(f.tenantId());
        assertThat(a.path("extensionStatus").asText()).isEqualTo("assigned");
        JsonNode desk = entries.stream().filter(e -> e.path("id").asText().equals(local)).findFirst().orElseThrow();
        assertThat(desk.path("extension").isNull()).as("a member without a number is listed with extension null").isTrue();
        assertThat(desk.path("extensionStatus").asText()).isEqualTo("none");

        JsonNode systems = pbx.get("phone-systems").expect(200).json().path("phoneSystems");
        JsonNode mine = null;
        for (JsonNode s : systems) {
            if (s.path("alias").asText().equals(f.orgAlias())) {
                mine = s;
            }
        }
        assertThat(mine).isNotNull();
        assertThat(mine.path("members").asInt()).isEqualTo(8);
        assertThat(mine.path("extensions").asInt()).isEqualTo(7);
        assertThat(mine.path("sync").path("lastRun").path("status").asText()).isEqualTo("SUCCESS");
        assertThat(mine.path("entraTenant").isNull()).isFalse();
    }

    @Test
    void membersWithoutANumberSayWhy() {
        Customer off = customer("dir-noext");
        off.entraUser("one");
        off.sync(off.createSync("dir-noext-sync", Map.of("extensionMode", "none")), true);
        assertThat(pbx.readAll(off.orgAlias(), 100, null)).singleElement().satisfies(e -> {
            assertThat(e.path("extension").isNull()).isTrue();
            assertThat(e.path("extensionStatus").asText()).isEqualTo("extensions-off");
        });

        Customer full = customer("dir-full");
        for (int i = 0; i < 3; i++) {
            full.entraUser("u" + i);
        }
        full.sync(full.createSync("dir-full-sync", Map.of("extensionRange", "900-901")), true);
        assertThat(pbx.readAll(full.orgAlias(), 100, null)).extracting(e -> e.path("extensionStatus").asText())
                .containsExactlyInAnyOrder("assigned", "assigned", "range-exhausted");
    }

    @Test
    void afterAChangedSyncTheFeedListsExactlyTheChanges() {
        Customer f = customer("dir-feed");
        List<User> users = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            users.add(f.entraUser("p" + i));
        }
        String sync = f.createSync("dir-feed-sync", Map.of("extensionRange", "400-499"));
        f.sync(sync, true);
        List<String> cursor = new ArrayList<>();
        pbx.readAll(f.orgAlias(), 100, cursor);

        f.directory().patchUser(f.tenantId(), users.get(0).id(), Map.of("jobTitle", "Team lead"));
        f.directory().patchUser(f.tenantId(), users.get(1).id(), Map.of("accountEnabled", false));
        f.entraUser("newhire");
        f.sync(sync, false);

        List<JsonNode> changes = pbx.changesAfter(f.orgAlias(), cursor.get(0), 100, null);
        Map<String, String> byUser = new LinkedHashMap<>();
        for (JsonNode c : changes) {
            byUser.merge(c.path("user").path("username").asText(), c.path("type").asText() + fields(c), (x, y) -> x + "," + y);
        }
        assertThat(byUser).containsOnly(
                Map.entry("p0@dir-feed.example", "user.updated[jobTitle]"),
                Map.entry("p1@dir-feed.example", "user.disabled[enabled]"),
                Map.entry("newhire@dir-feed.example", "user.added[]"));
        JsonNode added = changes.stream().filter(c -> c.path("type").asText().equals("user.added")).findFirst().orElseThrow();
        assertThat(added.path("user").path("extension").asText()).isNotEmpty();
        assertThat(f.sync(sync, false).path("added").asInt()).isZero();
        assertThat(pbx.changesAfter(f.orgAlias(), changes.get(changes.size() - 1).path("cursor").asText(), 100, null))
                .as("a sync that changes nothing adds nothing to the feed").isEmpty();
    }

    @Test
    void adminEditsInKeycloakAppearInTheFeed() {
        Customer f = customer("dir-admin");
        f.entraUser("kim");
        f.entraUser("lee");
        String sync = f.createSync("dir-admin-sync", Map.of("extensionRange", "500-599"));
        f.sync(sync, true);
        String max = f.localMember("max@dir-admin.example", "max@dir-admin.example", "Passw0rd!local"); // synced users are not deleted by hand
        List<String> cursor = new ArrayList<>();
        pbx.readAll(f.orgAlias(), 100, cursor);

        JsonNode kim = f.user("kim@dir-admin.example");
        ObjectNode edit = kim.deepCopy();
        ((ObjectNode) edit.path("attributes")).set("extension", JSON.valueToTree(List.of("5999")));
        admin.send("PUT", "/" + realm.name() + "/users/" + kim.path("id").asText(), edit).expect(204);
        JsonNode lee = f.user("lee@dir-admin.example");
        admin.send("DELETE", "/" + realm.name() + "/organizations/" + f.orgId() + "/members/" + lee.path("id").asText(), null).expect(204);
        admin.send("DELETE", "/" + realm.name() + "/users/" + max, null).expect(204);

        List<JsonNode> changes = pbx.changesAfter(f.orgAlias(), cursor.get(0), 100, null);
        List<String> seen = changes.stream().map(c -> c.path("user").path("username").asText() + " " + c.path("type").asText()
                + (c.has("reason") ? " " + c.path("reason").asText() : "")).toList();
        assertThat(seen).containsExactly(
                "kim@dir-admin.example extension.changed",
                "lee@dir-admin.example user.removed left-organization",
                "max@dir-admin.example user.removed deleted");
        assertThat(changes.get(0).path("user").path("extension").asText()).isEqualTo("5999");
        assertThat(pbx.readAll(f.orgAlias(), 100, null)).extracting(e -> e.path("username").asText())
                .containsExactly("kim@dir-admin.example");
    }

    @Test
    void aConsumerRestartedMidFeedMissesNothingAndSeesNothingTwice() {
        Customer f = customer("dir-restart");
        f.entraUser("first");
        String sync = f.createSync("dir-restart-sync", Map.of("extensionRange", "600-699"));
        f.sync(sync, true);
        List<String> start = new ArrayList<>();
        pbx.readAll(f.orgAlias(), 100, start);
        for (int i = 0; i < 12; i++) {
            f.entraUser("later" + i);
        }
        f.sync(sync, false);

        // first run of the consumer: one page of 5, then it stops, keeping the cursor
        JsonNode page = pbx.get("phone-systems/" + f.orgAlias() + "/changes?limit=5&after=" + start.get(0)).expect(200).json();
        assertThat(page.path("hasMore").asBoolean()).isTrue();
        List<JsonNode> seen = new ArrayList<>();
        page.path("changes").forEach(seen::add);
        String kept = page.path("cursor").asText();
        // restarted: goes on from the stored cursor
        seen.addAll(pbx.changesAfter(f.orgAlias(), kept, 4, null));

        List<JsonNode> all = pbx.changesAfter(f.orgAlias(), start.get(0), 1000, null);
        assertThat(seen).hasSize(12).hasSameSizeAs(all);
        assertThat(seen.stream().map(c -> c.path("cursor").asText()).toList())
                .isEqualTo(all.stream().map(c -> c.path("cursor").asText()).toList())
                .doesNotHaveDuplicates();
        assertThat(seen.stream().map(c -> c.path("user").path("username").asText()).distinct().count()).isEqualTo(12);
    }

    @Test
    void aCursorPastTheRetentionGets410AndTheReReadGoesOn() {
        Customer f = customer("dir-expire");
        f.entraUser("one");
        String sync = f.createSync("dir-expire-sync", Map.of("extensionRange", "700-799"));
        f.sync(sync, true);
        List<String> start = new ArrayList<>();
        pbx.readAll(f.orgAlias(), 100, start);
        f.entraUser("two");
        f.sync(sync, false);
        assertThat(pbx.changesAfter(f.orgAlias(), start.get(0), 100, null)).hasSize(1);

        JsonNode purge = admin.send("POST", "/" + realm.name() + "/pbx-directory/feed/purge",
                Map.of("before", Instant.now().plusSeconds(1).toString(), "organization", f.orgAlias())).expect(200).json();
        assertThat(purge.path("removed").asInt()).as("every row so far: 'one' and 'two' added").isEqualTo(2);
        KeycloakAdminClient.Response gone = pbx.get("phone-systems/" + f.orgAlias() + "/changes?after=" + start.get(0));
        assertThat(gone.status()).isEqualTo(410);
        assertThat(gone.json().path("error").asText()).isEqualTo("cursor_expired");
        assertThat(gone.json().path("error_description").asText()).contains("extensions");

        List<String> again = new ArrayList<>();
        assertThat(pbx.readAll(f.orgAlias(), 100, again)).hasSize(2);
        f.entraUser("three");
        f.sync(sync, false);
        assertThat(pbx.changesAfter(f.orgAlias(), again.get(0), 100, null)).extracting(c -> c.path("type").asText()).containsExactly("user.added");

        assertThat(admin.send("PUT", "/" + realm.name() + "/pbx-directory/settings", Map.of("retentionDays", 0)).status()).isEqualTo(400);
        assertThat(admin.send("PUT", "/" + realm.name() + "/pbx-directory/settings", Map.of("retentionDays", 7)).expect(200).json()
                .path("retentionDays").asInt()).isEqualTo(7);
    }

    @Test
    void onlyADirectoryServiceAccountReadsAndARestrictedOneOnlyItsPhoneSystem() {
        Customer a = customer("dir-auth-a");
        Customer b = customer("dir-auth-b");
        String path = "phone-systems/" + a.orgAlias() + "/extensions";

        assertThat(pbx.get(path, null).status()).as("no token").isEqualTo(401);
        assertThat(pbx.get(path, "not-a-token").status()).as("garbage").isEqualTo(401);
        PbxDirectoryClient otherRealm = PbxDirectoryClient.create(admin, stack.keycloak().baseUrl(), "master", "pbx-it-other-realm", false, null);
        assertThat(pbx.get(path, otherRealm.token()).status()).as("another realm's token").isEqualTo(401);

        PbxDirectoryClient noRole = PbxDirectoryClient.create(admin, stack.keycloak().baseUrl(), realm.name(), "pbx-no-role", false, null);
        assertThat(noRole.get(path).status()).as("no directory role").isEqualTo(403);

        PbxDirectoryClient onlyA = PbxDirectoryClient.create(admin, stack.keycloak().baseUrl(), realm.name(), "pbx-only-a", true, a.orgAlias());
        assertThat(onlyA.get(path).status()).isEqualTo(200);
        KeycloakAdminClient.Response otherOrg = onlyA.get("phone-systems/" + b.orgAlias() + "/extensions");
        KeycloakAdminClient.Response unknown = onlyA.get("phone-systems/no-such-customer/extensions");
        assertThat(otherOrg.status()).as("another Organization").isEqualTo(403);
        assertThat(unknown.status()).as("unknown and other customers answer alike").isEqualTo(403);
        assertThat(unknown.body()).isEqualTo(otherOrg.body());
        assertThat(onlyA.get("phone-systems").expect(200).json().path("phoneSystems")).extracting(s -> s.path("alias").asText())
                .containsExactly(a.orgAlias());
        assertThat(pbx.get("phone-systems/no-such-customer/extensions").status()).as("an unrestricted client").isEqualTo(404);
        assertThat(pbx.get("phone-systems/" + a.orgAlias() + "/changes?after=7.xxxxxxxx").status()).as("another phone system's cursor")
                .isEqualTo(400);
    }

    @Test
    void mirroredEntraGroupsAreInTheEntriesAndTheirChangesInTheFeed() {
        Customer f = customer("dir-groups");
        User ann = f.entraUser("ann");
        User bob = f.entraUser("bob");
        f.entraUser("cat");
        Group sales = f.directory().createGroup(f.tenantId(), Group.builder().displayName("Sales"));
        f.directory().addMember(f.tenantId(), sales.id(), ann.id());
        f.directory().addMember(f.tenantId(), sales.id(), bob.id());
        String sync = f.createSync("dir-groups-sync", Map.of("extensionRange", "800-899", "groupMirror", "all"));
        f.sync(sync, true);
        List<String> cursor = new ArrayList<>();
        Map<String, JsonNode> entries = new LinkedHashMap<>();
        pbx.readAll(f.orgAlias(), 100, cursor).forEach(e -> entries.put(e.path("username").asText(), e));
        JsonNode annGroups = entries.get("ann@dir-groups.example").path("groups");
        assertThat(annGroups).hasSize(1);
        assertThat(annGroups.get(0).path("name").asText()).isEqualTo("Sales");
        assertThat(annGroups.get(0).path("entraGroupId").asText()).isEqualTo(sales.id());
        assertThat(entries.get("cat@dir-groups.example").path("groups")).isEmpty();

        f.directory().updateGroup(f.tenantId(), sales.id(), g -> g.displayName("Inside sales"));
        f.sync(sync, false);
        List<String> next = new ArrayList<>();
        List<JsonNode> renamed = pbx.changesAfter(f.orgAlias(), cursor.get(0), 100, next);
        assertThat(renamed).extracting(c -> c.path("user").path("username").asText() + " " + c.path("type").asText())
                .containsExactlyInAnyOrder("ann@dir-groups.example groups.changed", "bob@dir-groups.example groups.changed");
        assertThat(renamed.get(0).path("user").path("groups").get(0).path("name").asText()).isEqualTo("Inside sales");

        f.directory().deleteGroup(f.tenantId(), sales.id());
        f.sync(sync, false);
        List<JsonNode> removed = pbx.changesAfter(f.orgAlias(), next.get(0), 100, null);
        assertThat(removed).extracting(c -> c.path("user").path("username").asText() + " " + c.path("type").asText())
                .containsExactlyInAnyOrder("ann@dir-groups.example groups.changed", "bob@dir-groups.example groups.changed");
        assertThat(removed).allSatisfy(c -> assertThat(c.path("user").path("groups")).isEmpty());
    }

    private static String nullable(JsonNode n) {
        return n.isNull() || n.isMissingNode() ? null : n.asText();
    }

    private static String fields(JsonNode change) {
        List<String> f = new ArrayList<>();
        change.path("fields").forEach(x -> f.add(x.asText()));
        return f.toString().replace(" ", "");
    }
}
