package dev.entrapbx.sync.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.entrapbx.sync.jpa.SyncRunEntity;
import dev.entrapbx.sync.jpa.SyncRunErrorEntity;
import dev.entrapbx.sync.jpa.SyncStateEntity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.keycloak.services.util.ObjectMapperResolver;
import org.keycloak.util.JsonSerialization;

/**
 * The sync admin answers write the same JSON as the Maps the resource built before, with
 * Keycloak's own JAX-RS mapper (which leaves out null fields and null map values alike), and the
 * guard confirmation the same admin-event representation.
 */
class SyncAdminRepresentationsTest {

    private static final ObjectMapper KEYCLOAK = new ObjectMapperResolver().getContext(Object.class);

    private static SyncRunEntity run(String id, Long endedAt, String message) {
        SyncRunEntity r = new SyncRunEntity();
        r.setId(id);
        r.setComponentId("c-1");
        r.setTrigger("manual");
        r.setMode("FULL");
        r.setStatus(endedAt == null ? "RUNNING" : "SUCCESS");
        r.setStartedAt(1_700_000_000_000L);
        r.setEndedAt(endedAt);
        r.setAdded(3);
        r.setAdopted(1);
        r.setUpdated(2);
        r.setDisabled(4);
        r.setDeleted(5);
        r.setFailed(6);
        r.setSkipped(7);
        r.setRetries(8);
        r.setMessage(message);
        r.setPhase(endedAt == null ? "users" : "removals");
        r.setPages(endedAt == null ? 2 : 3);
        return r;
    }

    private static final SyncRunEntity DONE = run("r-done", 1_700_000_004_321L, "Photos: 2 downloaded, 0 removed, 1 unchanged, 0 failed.");
    private static final SyncRunEntity RUNNING = run("r-running", null, null);

    @Test
    void runList() throws Exception {
        for (SyncRunEntity r : List.of(DONE, RUNNING)) {
            same(RunRepresentation.of(r), runBefore(r));
        }
        Map<String, Object> before = new LinkedHashMap<>();
        before.put("total", 42L);
        before.put("first", 0);
        before.put("runs", List.of(runBefore(RUNNING), runBefore(DONE)));
        same(new RunListRepresentation(42L, 0, List.of(RunRepresentation.of(RUNNING), RunRepresentation.of(DONE))), before);
        assertThat(KEYCLOAK.writeValueAsString(RunRepresentation.of(RUNNING))).isEqualTo("{\"id\":\"r-running\",\"trigger\":\"manual\","
                + "\"mode\":\"FULL\",\"status\":\"RUNNING\",\"phase\":\"users\",\"startedAt\":\"2023-11-14T22:13:20Z\",\"pagesRead\":2,"
                + "\"written\":6,\"added\":3,\"adopted\":1,\"updated\":2,"
                + "\"disabled\":4,\"deleted\":5,\"failed\":6,\"skipped\":7,\"graphRetries\":8}");
        assertThat(KEYCLOAK.readTree(KEYCLOAK.writeValueAsString(RunRepresentation.of(DONE))).path("durationMillis").asLong()).isEqualTo(4321);
    }

    @Test
    void runWithProblems() throws Exception {
        SyncRunErrorEntity taken = problem("error", "oid-1", "bob@permco.example", "bob@permco.example is taken by a Keycloak user");
        SyncRunErrorEntity noName = problem("warning", "oid-2", null, "photo not updated");
        List<SyncRunErrorEntity> errors = List.of(taken, noName);

        Map<String, Object> before = runBefore(DONE);
        List<Map<String, Object>> problems = new ArrayList<>();
        for (SyncRunErrorEntity e : errors) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("severity", e.getSeverity());
            p.put("entraObjectId", e.getEntraOid());
            p.put("username", e.getUsername());
            p.put("reason", e.getReason());
            problems.add(p);
        }
        before.put("problemsTotal", 2L);
        before.put("problems", problems);
        RunDetailRepresentation detail = new RunDetailRepresentation(RunRepresentation.of(DONE), 2L,
                errors.stream().map(RunDetailRepresentation.Problem::of).toList());
        same(detail, before);
        assertThat(KEYCLOAK.writeValueAsString(detail)).startsWith("{\"id\":\"r-done\",")
                .endsWith(",\"problemsTotal\":2,\"problems\":[{\"severity\":\"error\",\"entraObjectId\":\"oid-1\",\"username\":\"bob@permco.example\","
                        + "\"reason\":\"bob@permco.example is taken by a Keycloak user\"},{\"severity\":\"warning\",\"entraObjectId\":\"oid-2\","
                        + "\"reason\":\"photo not updated\"}]}");
    }

    @Test
    void state() throws Exception {
        SyncStateEntity held = new SyncStateEntity();
        held.setDeltaLink("https://graph.microsoft.com/v1.0/users/delta?$deltatoken=x");
        held.setDeltaSavedAt(1_700_000_000_000L);
        held.setGuardMessage("10 of 12 users would be disabled ...");
        held.setGuardConfirmed(true);
        for (SyncStateEntity st : new SyncStateEntity[] {held, new SyncStateEntity(), null}) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("deltaLinkStored", st != null && st.getDeltaLink() != null);
            m.put("deltaSavedAt", st == null || st.getDeltaSavedAt() == null ? null : Instant.ofEpochMilli(st.getDeltaSavedAt()).toString());
            m.put("guardMessage", st == null ? null : st.getGuardMessage());
            m.put("guardConfirmed", st != null && st.isGuardConfirmed());
            m.put("failedInARow", st == null ? 0 : st.getFailedInARow());
            same(SyncStateRepresentation.of(st), m);
        }
        assertThat(KEYCLOAK.writeValueAsString(SyncStateRepresentation.of(null))).isEqualTo("{\"deltaLinkStored\":false,\"guardConfirmed\":false,"
                + "\"failedInARow\":0}");
    }

    @Test
    void guardConfirmationAsAnswerAndAsAdminEvent() throws Exception {
        for (String heldBack : new String[] {"10 of 12 users would be disabled ...", null}) {
            Map<String, Object> rep = new LinkedHashMap<>();
            rep.put("component", "contoso sync");
            rep.put("guardConfirmed", true);
            rep.put("heldBack", heldBack);
            GuardConfirmationRepresentation now = new GuardConfirmationRepresentation("contoso sync", true, heldBack);
            same(now, rep);
            // AdminEventBuilder.representation writes with JsonSerialization
            assertThat(JsonSerialization.writeValueAsString(now)).isEqualTo(JsonSerialization.writeValueAsString(rep));
        }
    }

    @Test
    void testConnection() throws Exception {
        Set<String> roles = new LinkedHashSet<>(List.of("Domain.Read.All", "User.Read.All"));
        // every step reached
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tokenAcquired", true);
        out.put("clientId", "app-1");
        out.put("tenantId", "t-1");
        out.put("grantedPermissions", roles);
        out.put("missingPermissions", List.of());
        out.put("tenantName", "Contoso");
        out.put("ok", true);
        out.put("messages", List.of());
        same(new TestConnectionRepresentation(true, "app-1", "t-1", roles, List.of(), "Contoso", true, List.of(), null), out);

        // token acquired, tenant name not readable, a permission missing
        List<String> missing = List.of("GroupMember.Read.All is not granted (admin consent missing?)");
        List<String> messages = List.of(missing.get(0), "The tenant's name could not be read (403); this is not needed to sync.");
        out = new LinkedHashMap<>();
        out.put("tokenAcquired", true);
        out.put("clientId", "app-1");
        out.put("tenantId", null);
        out.put("grantedPermissions", roles);
        out.put("missingPermissions", missing);
        out.put("ok", false);
        out.put("messages", messages);
        String consent = "https://login.microsoftonline.com/t-1/adminconsent?client_id=app-1";
        out.put("adminConsentUrl", consent);
        same(new TestConnectionRepresentation(true, "app-1", null, roles, missing, null, false, messages, consent), out);

        // no token
        out = new LinkedHashMap<>();
        out.putIfAbsent("tokenAcquired", false);
        out.put("ok", false);
        out.put("messages", List.of("AADSTS7000215: Invalid client secret provided."));
        TestConnectionRepresentation failed = new TestConnectionRepresentation(false, null, null, null, null, null, false,
                List.of("AADSTS7000215: Invalid client secret provided."), null);
        same(failed, out);
        assertThat(KEYCLOAK.writeValueAsString(failed))
                .isEqualTo("{\"tokenAcquired\":false,\"ok\":false,\"messages\":[\"AADSTS7000215: Invalid client secret provided.\"]}");
    }

    private static SyncRunErrorEntity problem(String severity, String oid, String username, String reason) {
        SyncRunErrorEntity e = new SyncRunErrorEntity();
        e.setSeverity(severity);
        e.setEntraOid(oid);
        e.setUsername(username);
        e.setReason(reason);
        return e;
    }

    private static void same(Object representation, Map<String, Object> before) throws Exception {
        assertThat(KEYCLOAK.writeValueAsString(representation)).isEqualTo(KEYCLOAK.writeValueAsString(before));
    }

    /** The resource's run answer before representation classes, verbatim. */
    private static Map<String, Object> runBefore(SyncRunEntity r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.getId());
        m.put("trigger", r.getTrigger());
        m.put("mode", r.getMode());
        m.put("status", r.getStatus());
        m.put("phase", r.getPhase());
        m.put("startedAt", Instant.ofEpochMilli(r.getStartedAt()).toString());
        m.put("endedAt", r.getEndedAt() == null ? null : Instant.ofEpochMilli(r.getEndedAt()).toString());
        m.put("durationMillis", r.getEndedAt() == null ? null : r.getEndedAt() - r.getStartedAt());
        m.put("pagesRead", r.getPages());
        m.put("written", r.getAdded() + r.getAdopted() + r.getUpdated());
        m.put("added", r.getAdded());
        m.put("adopted", r.getAdopted());
        m.put("updated", r.getUpdated());
        m.put("disabled", r.getDisabled());
        m.put("deleted", r.getDeleted());
        m.put("failed", r.getFailed());
        m.put("skipped", r.getSkipped());
        m.put("graphRetries", r.getRetries());
        m.put("message", r.getMessage());
        return m;
    }
}
