package dev.entrapbx.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.entrapbx.simulator.model.Group;
import dev.entrapbx.simulator.model.User;
import dev.entrapbx.simulator.support.DeltaRound;
import dev.entrapbx.simulator.support.SimulatorTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class GroupsDeltaTest extends SimulatorTestSupport {
    private Fixture fx;
    private String token;
    private Group sales;
    private Group support;
    private final List<User> users = new ArrayList<>();

    @BeforeEach
    void seed() {
        fx = fixture("GroupDelta");
        users.clear();
        for (int i = 0; i < 5; i++) {
            users.add(user(fx, "g" + i));
        }
        sales = sim.directory().createGroup(fx.tenantId(), Group.builder().displayName("Sales").description("Sales team"));
        support = sim.directory().createGroup(fx.tenantId(), Group.builder().displayName("Support"));
        sim.directory().addMember(fx.tenantId(), sales.id(), users.get(0).id());
        sim.directory().addMember(fx.tenantId(), sales.id(), users.get(1).id());
        sim.directory().addMember(fx.tenantId(), support.id(), users.get(2).id());
        sim.directory().addMember(fx.tenantId(), sales.id(), support.id());
        token = appToken(fx);
    }

    private DeltaRound round(String url, String... headers) {
        return DeltaRound.run(url, (u, n) -> graphJson(token, u, headers));
    }

    private static Map<String, String> members(JsonNode group) {
        Map<String, String> out = new HashMap<>();
        group.path("members@delta").forEach(m -> out.put(m.get("id").asText(),
                m.has("@removed") ? "removed:" + m.at("/@removed/reason").asText() : m.get("@odata.type").asText()));
        return out;
    }

    /**
     * The Entra groups mirror's request ({@code $select=id,displayName,description,members}) with the changes made
     * through the control API: a rename comes with the new displayName, member changes as members@delta (removed ones
     * with @removed), a deleted group with @removed; a 503 on groups delta is injected like on any Graph path.
     */
    @Test
    void theMirrorsSelectFollowsControlApiChangesAndFaults() {
        DeltaRound first = round("/v1.0/groups/delta?$select=id,displayName,description,members");
        assertThat(first.item(sales.id()).get("description").asText()).isEqualTo("Sales team");
        assertThat(members(first.item(sales.id()))).containsOnlyKeys(users.get(0).id(), users.get(1).id(), support.id());

        String base = sim.baseUrl() + "/_sim/tenants/" + fx.tenantId() + "/groups/";
        assertThat(http.patchJson(base + sales.id(), "{\"displayName\": \"Sales EMEA\"}").statusCode()).isEqualTo(200);
        assertThat(http.postJson(base + sales.id() + "/members", "{\"id\": \"" + users.get(3).id() + "\"}").statusCode())
                .isEqualTo(201);
        assertThat(http.delete(base + sales.id() + "/members/" + users.get(0).id()).statusCode()).isEqualTo(204);
        assertThat(http.delete(base + support.id()).statusCode()).isEqualTo(204);
        assertThat(sim.directory().group(fx.tenantId(), support.id())).as("Support is gone").isEmpty();

        sim.faults().add(dev.entrapbx.simulator.fault.FaultRule.on("GET", "^/v1\\.0/groups/delta").times(1).serviceUnavailable(1));
        try {
            assertThat(graphGet(token, first.deltaLink()).statusCode()).isEqualTo(503);
        } finally {
            sim.faults().clear();
        }
        DeltaRound second = round(first.deltaLink());
        JsonNode renamed = second.item(sales.id());
        assertThat(renamed.get("displayName").asText()).isEqualTo("Sales EMEA");
        assertThat(members(renamed)).containsOnly(Map.entry(users.get(3).id(), "#microsoft.graph.user"),
                Map.entry(users.get(0).id(), "removed:deleted"), Map.entry(support.id(), "removed:deleted"));
        assertThat(second.item(support.id()).at("/@removed/reason").asText()).isEqualTo("deleted");
        assertThat(second.deltaLink()).contains("$deltatoken=");
    }

    @Test
    void firstRoundListsGroupsWithTheirMembers() {
        DeltaRound first = round("/v1.0/groups/delta");
        assertThat(first.ids()).containsExactlyInAnyOrder(sales.id(), support.id());
        JsonNode s = first.item(sales.id());
        assertThat(s.get("displayName").asText()).isEqualTo("Sales");
        assertThat(members(s)).containsEntry(users.get(0).id(), "#microsoft.graph.user")
                .containsEntry(users.get(1).id(), "#microsoft.graph.user")
                .containsEntry(support.id(), "#microsoft.graph.group").hasSize(3);
    }

    @Test
    void laterRoundsReportAddedAndRemovedMembers() {
        DeltaRound first = round("/v1.0/groups/delta?$select=displayName,members");
        sim.directory().addMember(fx.tenantId(), sales.id(), users.get(3).id());
        sim.directory().removeMember(fx.tenantId(), sales.id(), users.get(0).id());
        sim.directory().deleteUser(fx.tenantId(), users.get(2).id()); // drops its Support membership
        DeltaRound second = round(first.deltaLink());
        assertThat(second.ids()).containsExactlyInAnyOrder(sales.id(), support.id());
        assertThat(members(second.item(sales.id()))).containsOnly(
                Map.entry(users.get(3).id(), "#microsoft.graph.user"),
                Map.entry(users.get(0).id(), "removed:deleted"));
        assertThat(members(second.item(support.id()))).containsOnly(Map.entry(users.get(2).id(), "removed:deleted"));
        assertThat(second.item(sales.id()).get("displayName").asText()).isEqualTo("Sales");
    }

    @Test
    void withoutMembersInSelectMembershipIsNotTracked() {
        DeltaRound first = round("/v1.0/groups/delta?$select=displayName");
        assertThat(first.item(sales.id()).has("members@delta")).isFalse();
        sim.directory().addMember(fx.tenantId(), sales.id(), users.get(4).id());
        assertThat(round(first.deltaLink()).items()).isEmpty();
        sim.directory().updateGroup(fx.tenantId(), sales.id(), b -> b.displayName("Sales & Marketing"));
        DeltaRound afterRename = round(first.deltaLink());
        assertThat(afterRename.ids()).containsExactly(sales.id());
        assertThat(afterRename.item(sales.id()).get("displayName").asText()).isEqualTo("Sales & Marketing");
        assertThat(afterRename.item(sales.id()).has("members@delta")).isFalse();
    }

    @Test
    void deletedGroupsAreRemoved() {
        DeltaRound first = round("/v1.0/groups/delta");
        sim.directory().deleteGroup(fx.tenantId(), support.id());
        DeltaRound second = round(first.deltaLink());
        assertThat(second.item(support.id()).at("/@removed/reason").asText()).isEqualTo("deleted");
        assertThat(members(second.item(sales.id()))).containsOnly(Map.entry(support.id(), "removed:deleted"));
    }

    @Test
    void aLargeGroupsMembersSpanSeveralPages() {
        Group big = sim.directory().createGroup(fx.tenantId(), Group.builder().displayName("Everyone"));
        for (int i = 0; i < 25; i++) {
            User u = user(fx, "bulk" + i);
            sim.directory().addMember(fx.tenantId(), big.id(), u.id());
        }
        DeltaRound first = round("/v1.0/groups/delta", "Prefer", "odata.maxpagesize=10");
        Set<String> bigMembers = new HashSet<>();
        int appearances = 0;
        for (JsonNode item : first.items()) {
            if (item.get("id").asText().equals(big.id())) {
                appearances++;
                assertThat(item.get("displayName").asText()).isEqualTo("Everyone");
                item.get("members@delta").forEach(m -> bigMembers.add(m.get("id").asText()));
            }
        }
        assertThat(bigMembers).hasSize(25);
        assertThat(appearances).isGreaterThan(1);
    }
}
