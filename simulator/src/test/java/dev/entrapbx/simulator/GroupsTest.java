package dev.entrapbx.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.entrapbx.simulator.model.Group;
import dev.entrapbx.simulator.model.User;
import dev.entrapbx.simulator.support.SimulatorTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class GroupsTest extends SimulatorTestSupport {
    private static Fixture fx;
    private static String token;
    private static Group sales;
    private static Group emea;
    private static Group dach;
    private static final List<User> users = new ArrayList<>();

    @BeforeAll
    static void seed() {
        fx = fixture("Groups");
        for (int i = 0; i < 6; i++) {
            users.add(user(fx, "member" + i));
        }
        sales = sim.directory().createGroup(fx.tenantId(), Group.builder().displayName("Sales"));
        emea = sim.directory().createGroup(fx.tenantId(), Group.builder().displayName("Sales EMEA"));
        dach = sim.directory().createGroup(fx.tenantId(), Group.builder().displayName("Sales DACH"));
        sim.directory().addMember(fx.tenantId(), sales.id(), users.get(0).id());
        sim.directory().addMember(fx.tenantId(), sales.id(), users.get(1).userPrincipalName());
        sim.directory().addMember(fx.tenantId(), sales.id(), emea.id());
        sim.directory().addMember(fx.tenantId(), emea.id(), users.get(2).id());
        sim.directory().addMember(fx.tenantId(), emea.id(), dach.id());
        sim.directory().addMember(fx.tenantId(), dach.id(), users.get(3).id());
        sim.directory().addMember(fx.tenantId(), dach.id(), users.get(0).id());
        sim.directory().addMember(fx.tenantId(), dach.id(), sales.id()); // a cycle, tolerated
        token = appToken(fx);
    }

    private static List<String> ids(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("value").forEach(v -> out.add(v.get("id").asText()));
        return out;
    }

    @Test
    void listsAndGetsGroups() {
        JsonNode page = graphJson(token, "/v1.0/groups?$select=id,displayName,securityEnabled");
        assertThat(page.get("value")).hasSize(3);
        assertThat(page.get("value").get(0).get("securityEnabled").asBoolean()).isTrue();
        JsonNode one = graphJson(token, "/v1.0/groups/" + sales.id());
        assertThat(one.get("mailNickname").asText()).isEqualTo("sales");
        String filter = URLEncoder.encode("displayName eq 'Sales EMEA'", StandardCharsets.UTF_8);
        assertThat(ids(graphJson(token, "/v1.0/groups?$filter=" + filter))).containsExactly(emea.id());
    }

    @Test
    void directMembersCarryTheirType() {
        JsonNode members = graphJson(token, "/v1.0/groups/" + sales.id() + "/members");
        assertThat(ids(members)).containsExactly(users.get(0).id(), users.get(1).id(), emea.id());
        assertThat(members.get("value").get(0).get("@odata.type").asText()).isEqualTo("#microsoft.graph.user");
        assertThat(members.get("value").get(2).get("@odata.type").asText()).isEqualTo("#microsoft.graph.group");
        assertThat(ids(graphJson(token, "/v1.0/groups/" + sales.id() + "/members/microsoft.graph.user")))
                .containsExactly(users.get(0).id(), users.get(1).id());
    }

    @Test
    void transitiveMembersFollowNestingOnceEach() {
        JsonNode all = graphJson(token, "/v1.0/groups/" + sales.id() + "/transitiveMembers");
        assertThat(ids(all)).containsExactlyInAnyOrder(users.get(0).id(), users.get(1).id(), emea.id(),
                users.get(2).id(), dach.id(), users.get(3).id());
        JsonNode onlyUsers = graphJson(token, "/v1.0/groups/" + sales.id()
                + "/transitiveMembers/microsoft.graph.user?$select=id,userPrincipalName");
        assertThat(ids(onlyUsers)).containsExactlyInAnyOrder(users.get(0).id(), users.get(1).id(), users.get(2).id(),
                users.get(3).id());
        assertThat(onlyUsers.get("value").get(0).has("userPrincipalName")).isTrue();
    }

    @Test
    void membersArePaged() {
        JsonNode first = graphJson(token, "/v1.0/groups/" + sales.id() + "/transitiveMembers?$top=4");
        assertThat(first.get("value")).hasSize(4);
        JsonNode second = graphJson(token, first.get("@odata.nextLink").asText());
        assertThat(second.get("value")).hasSize(2);
        assertThat(second.has("@odata.nextLink")).isFalse();
    }

    @Test
    void memberOfAndTransitiveMemberOf() {
        assertThat(ids(graphJson(token, "/v1.0/users/" + users.get(3).id() + "/memberOf"))).containsExactly(dach.id());
        assertThat(ids(graphJson(token, "/v1.0/users/" + users.get(3).id() + "/transitiveMemberOf")))
                .containsExactlyInAnyOrder(dach.id(), emea.id(), sales.id());
        // with the type cast to groups, as the Graph SDK sends it (full name or Graph's namespace alias)
        assertThat(ids(graphJson(token, "/v1.0/users/" + users.get(3).id() + "/memberOf/microsoft.graph.group?$select=id")))
                .containsExactly(dach.id());
        assertThat(ids(graphJson(token, "/v1.0/users/" + users.get(3).id() + "/transitiveMemberOf/graph.group")))
                .containsExactlyInAnyOrder(dach.id(), emea.id(), sales.id());
    }

    @Test
    void membershipNeedsAGroupPermission() {
        Fixture weak = fixture("NoGroups", "User.Read.All");
        assertThat(graphGet(appToken(weak), "/v1.0/groups").statusCode()).isEqualTo(403);
    }
}
