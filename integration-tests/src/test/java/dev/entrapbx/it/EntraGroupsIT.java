package dev.entrapbx.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.entrapbx.harness.Browserless;
import dev.entrapbx.harness.Customer;
import dev.entrapbx.harness.EntraPbxStack;
import dev.entrapbx.harness.KeycloakAdminClient;
import dev.entrapbx.harness.TestRealm;
import dev.entrapbx.simulator.fault.FaultRule;
import dev.entrapbx.simulator.model.Group;
import dev.entrapbx.simulator.model.User;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Entra groups mirror through the real Keycloak and the simulator: groups under
 * {@code "Entra groups: <organization alias>"} (attribute {@code entrapbx.organization}), each with
 * {@code entraGroupId}, named after Entra, holding the synced direct members; renames, deletions and
 * membership changes follow; nothing outside the parent group is touched.
 */
@ExtendWith(SharedStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EntraGroupsIT {

    EntraPbxStack stack;
    KeycloakAdminClient admin;
    TestRealm realm;

    @BeforeAll
    void setUp(EntraPbxStack stack) {
        this.stack = stack;
        this.admin = stack.keycloak().admin();
        this.realm = TestRealm.create(admin, "groups-it");
    }

    @AfterEach
    void clearFaults() {
        stack.simulator().faults().clear();
    }

    private Customer customer(String name) {
        return Customer.in(stack, realm, name).permissions(Customer.SYNC_PERMISSIONS).create();
    }

    private Group entraGroup(Customer f, String name, User... members) {
        Group g = f.directory().createGroup(f.tenantId(), Group.builder().displayName(name));
        for (User u : members) {
            f.directory().addMember(f.tenantId(), g.id(), u.id());
        }
        return g;
    }

    /** The top-level group with this exact name, or null. */
    private JsonNode topLevel(String name) {
        for (JsonNode g : admin.get("/" + realm.name() + "/groups?exact=true&briefRepresentation=false&search=" + Browserless.enc(name))) {
            if (g.path("name").asText().equals(name)) {
                return g;
            }
        }
        return null;
    }

    /** The mirrored groups under the Organization's parent, by Entra id: name and member usernames. */
    private record Mirrored(String id, String name, Set<String> members) {
    }

    private Map<String, Mirrored> mirror(Customer f) {
        JsonNode parent = topLevel("Entra groups: " + f.orgAlias());
        assertThat(parent).as("parent group").isNotNull();
        assertThat(parent.path("attributes").path("entrapbx.organization").get(0).asText()).isEqualTo(f.orgId());
        Map<String, Mirrored> out = new LinkedHashMap<>();
        for (JsonNode g : admin.get("/" + realm.name() + "/groups/" + parent.path("id").asText()
                + "/children?briefRepresentation=false&max=1000")) {
            JsonNode entraId = g.path("attributes").path("entraGroupId");
            Set<String> members = members(g.path("id").asText());
            out.put(entraId.isMissingNode() ? "admin:" + g.path("name").asText() : entraId.get(0).asText(),
                    new Mirrored(g.path("id").asText(), g.path("name").asText(), members));
        }
        return out;
    }

    private Set<String> members(String groupId) {
        Set<String> out = new TreeSet<>();
        for (JsonNode u : admin.get("/" + realm.name() + "/groups/" + groupId + "/members?max=1000&briefRepresentation=true")) {
            out.add(u.path("username").asText());
        }
        return out;
    }

    private static Map<String, String> cfg(String... kv) {
        return Customer.settings(kv);
    }

    private String userId(Customer f, String localPart) {
        return f.user(localPart + "@" + f.domain()).path("id").asText();
    }

    @Test
    void groupsAreMirroredRenamedRemovedAndMembershipsFollowWithoutTouchingAnythingOutside() {
        Customer f = customer("mirror");
        User ann = f.entraUser("ann");
        User bob = f.entraUser("bob");
        User cid = f.entraUser("cid");
        User guest = f.entraUser("guest", Map.of("userType", "Guest")); // not synced: never a member
        Group sales = entraGroup(f, "Sales", ann, bob, guest);
        Group support = entraGroup(f, "Support", cid);
        Group twin = entraGroup(f, "Sales", cid);
        f.directory().addMember(f.tenantId(), sales.id(), support.id()); // nested: mirrored as a group of its own

        String id = f.createSync("mirror-sync", cfg("groupMirror", "all"));
        f.sync(id, true);

        // a group outside the parent with a synced member, and one an admin put under the parent
        String annId = userId(f, "ann");
        admin.send("POST", "/" + realm.name() + "/groups", Map.of("name", "Outside " + f.orgAlias())).expect(201);
        String outside = topLevel("Outside " + f.orgAlias()).path("id").asText();
        admin.send("PUT", "/" + realm.name() + "/users/" + annId + "/groups/" + outside, null).expect(204);

        Map<String, Mirrored> m = mirror(f);
        String first = sales.id().compareTo(twin.id()) < 0 ? sales.id() : twin.id();
        String later = first.equals(sales.id()) ? twin.id() : sales.id();
        assertThat(m.get(first).name()).isEqualTo("Sales");
        assertThat(m.get(later).name()).isEqualTo("Sales (" + later.substring(0, 8) + ")");
        assertThat(m.get(sales.id()).members()).containsExactly("ann@mirror.example", "bob@mirror.example");
        assertThat(m.get(support.id())).extracting(Mirrored::name).isEqualTo("Support");
        assertThat(m.get(support.id()).members()).containsExactly("cid@mirror.example");
        assertThat(m.get(twin.id()).members()).containsExactly("cid@mirror.example");
        JsonNode run = f.lastRun(id);
        assertThat(run.path("status").asText()).isEqualTo("SUCCESS");
        assertThat(run.path("message").asText()).contains("Entra groups (all): 3 added, 0 renamed, 0 removed; memberships: 4 joined, 0 left");

        // Entra changes; a changed sync follows them through groups delta
        String parentId = topLevel("Entra groups: " + f.orgAlias()).path("id").asText();
        admin.send("POST", "/" + realm.name() + "/groups/" + parentId + "/children", Map.of("name", "Hand made")).expect(201);
        String adminsOwn = mirror(f).get("admin:Hand made").id();
        User dan = f.entraUser("dan"); // new user, already in Support when first synced
        f.directory().addMember(f.tenantId(), support.id(), dan.id());
        f.directory().patchGroup(f.tenantId(), support.id(), json("{\"displayName\": \"Customer Care\"}"));
        f.directory().removeMember(f.tenantId(), sales.id(), bob.id());
        f.directory().addMember(f.tenantId(), sales.id(), cid.id());
        f.directory().deleteGroup(f.tenantId(), twin.id());
        Group fresh = entraGroup(f, "Field", bob);
        f.sync(id, false);

        m = mirror(f);
        assertThat(m).doesNotContainKey(twin.id());
        assertThat(m.get(support.id()).name()).isEqualTo("Customer Care");
        assertThat(m.get(support.id()).id()).as("renamed, not recreated").isNotNull();
        assertThat(m.get(support.id()).members()).containsExactly("cid@mirror.example", "dan@mirror.example");
        assertThat(m.get(sales.id()).members()).containsExactly("ann@mirror.example", "cid@mirror.example");
        assertThat(m.get(fresh.id()).name()).isEqualTo("Field");
        assertThat(m.get(fresh.id()).members()).containsExactly("bob@mirror.example");
        assertThat(m).containsKey("admin:Hand made");
        assertThat(members(outside)).as("a group outside the parent is untouched").containsExactly("ann@mirror.example");
        assertThat(admin.get("/" + realm.name() + "/groups/" + outside).path("name").asText()).isEqualTo("Outside " + f.orgAlias());
        run = f.lastRun(id);
        assertThat(run.path("status").asText()).isEqualTo("SUCCESS");
        assertThat(run.path("message").asText()).contains("1 added, 1 renamed, 1 removed; memberships: 3 joined, 1 left");

        // a full sync reconciles: an admin's extra membership of a synced user in a mirrored group is taken back,
        // the hand-made subgroup stays
        admin.send("PUT", "/" + realm.name() + "/users/" + userId(f, "bob") + "/groups/" + m.get(sales.id()).id(), null).expect(204);
        f.sync(id, true);
        m = mirror(f);
        assertThat(m.get(sales.id()).members()).containsExactly("ann@mirror.example", "cid@mirror.example");
        assertThat(m).containsKey("admin:Hand made");
        assertThat(admin.get("/" + realm.name() + "/groups/" + adminsOwn).path("name").asText()).isEqualTo("Hand made");
    }

    @Test
    void aFailingGroupsReadIsReportedAndRemovesNothing() {
        Customer f = customer("groupfail");
        User ann = f.entraUser("ann");
        Group sales = entraGroup(f, "Sales", ann);
        String id = f.createSync("groupfail-sync", cfg("groupMirror", "all"));
        f.sync(id, true);
        assertThat(mirror(f).get(sales.id()).members()).containsExactly("ann@groupfail.example");

        // Graph breaks the groups delta (a page without nextLink or deltaLink) while the group is gone in Entra
        f.directory().removeMember(f.tenantId(), sales.id(), ann.id());
        stack.simulator().faults().add(FaultRule.on("GET", "^/v1\\.0/groups/delta").tenant(f.tenantId()).untilCleared().truncatedPage());
        f.sync(id, true);
        JsonNode run = f.lastRun(id);
        assertThat(run.path("status").asText()).isEqualTo("PARTIAL");
        assertThat(run.path("message").asText()).contains("Entra groups (all): not mirrored: Graph GET /groups/delta")
                .contains("No group or membership was changed");
        assertThat(mirror(f).get(sales.id()).members()).as("nothing removed on a broken read").containsExactly("ann@groupfail.example");

        stack.simulator().faults().clear();
        f.sync(id, false);
        assertThat(f.lastRun(id).path("status").asText()).isEqualTo("SUCCESS");
        assertThat(mirror(f).get(sales.id()).members()).isEmpty();
    }

    @Test
    void inScopeMirrorsTheScopeGroupsAndTheirNestedGroupsOnly() {
        Customer f = customer("inscope");
        User ann = f.entraUser("ann");
        User bob = f.entraUser("bob");
        Group sales = entraGroup(f, "Sales", ann);
        Group emea = entraGroup(f, "Sales EMEA", bob);
        f.directory().addMember(f.tenantId(), sales.id(), emea.id());
        Group other = entraGroup(f, "Other", ann);
        String id = f.createSync("inscope-sync", cfg("scope", "groups", "groupIds", sales.id(), "groupMirror", "in-scope"));
        f.sync(id, false); // no groups delta link yet: reads every group
        Map<String, Mirrored> m = mirror(f);
        assertThat(m.keySet()).containsExactlyInAnyOrder(sales.id(), emea.id());
        assertThat(m.get(emea.id()).members()).containsExactly("bob@inscope.example");
        assertThat(m).doesNotContainKey(other.id());

        // Sales EMEA leaves the scope: its mirror goes
        f.directory().removeMember(f.tenantId(), sales.id(), emea.id());
        f.sync(id, false);
        assertThat(mirror(f).keySet()).containsExactly(sales.id());
    }

    @Test
    void theDefaultMirrorsNothing() {
        Customer f = customer("nomirror");
        User ann = f.entraUser("ann");
        entraGroup(f, "Sales", ann);
        String id = f.createSync("nomirror-sync", cfg());
        f.sync(id, true);
        f.sync(id, false);
        assertThat(topLevel("Entra groups: " + f.orgAlias())).isNull();
        assertThat(f.lastRun(id).path("message").asText("")).doesNotContain("Entra groups");
        assertThat(f.user("ann@nomirror.example").path("id").asText()).isNotEmpty();
    }

    @Test
    void inScopeWithoutGroupScopeIsRefusedAtSave() {
        Customer f = customer("badmirror");
        KeycloakAdminClient.Response r = f.tryCreateSync("badmirror-sync", cfg("groupMirror", "in-scope"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("in-scope");
    }

    private static JsonNode json(String s) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
