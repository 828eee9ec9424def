package dev.entrapbx.sync.admin;

import dev.entrapbx.kc.AdminError;
import dev.entrapbx.core.AppTokens;
import dev.entrapbx.sync.EntraConnection;
import dev.entrapbx.sync.EntraSync;
import dev.entrapbx.sync.RunLog;
import dev.entrapbx.sync.SyncLauncher;
import dev.entrapbx.sync.EntraSyncConfig;
import dev.entrapbx.sync.EntraUserStorageProviderFactory;
import dev.entrapbx.sync.SyncTarget;
import dev.entrapbx.sync.graph.GraphDirectory;
import dev.entrapbx.graph.GraphException;
import dev.entrapbx.sync.jpa.SyncRunEntity;
import dev.entrapbx.sync.jpa.SyncRunErrorEntity;
import dev.entrapbx.sync.jpa.SyncStateEntity;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.keycloak.component.ComponentModel;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;
import org.keycloak.storage.UserStorageProviderModel;

/**
 * Admin REST for Entra user syncs, under {@code /admin/realms/{realm}/entra-sync/{componentId}}:
 * the run log (paged), a run's per-user problems (paged), state, test connection, and the
 * one-time confirmation of deletions the accidental-delete guard held back. Authenticated by
 * Keycloak's admin API (bearer token). Acting needs manage-realm. Reading needs view-realm where
 * the answer tells nothing about users: the run list (counts, status, the run's notes) and the
 * state. A run with its problems names users (username, Entra object id, what went wrong), some of
 * whom have no Keycloak account at all, so no per-user check can apply: it needs what Keycloak's
 * users API needs to list every user unfiltered, view permission on all users (view-users or
 * manage-users, or a fine-grained permission on all users), besides view-realm.
 */
public class EntraSyncAdminResource {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;
    private final EntraUserStorageProviderFactory factory;

    public EntraSyncAdminResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent;
        this.factory = (EntraUserStorageProviderFactory) session.getKeycloakSessionFactory()
                .getProviderFactory(org.keycloak.storage.UserStorageProvider.class, EntraUserStorageProviderFactory.PROVIDER_ID);
    }

    private ComponentModel component(String id) {
        ComponentModel c = realm.getComponent(id);
        if (c == null || !EntraUserStorageProviderFactory.PROVIDER_ID.equals(c.getProviderId())) {
            throw AdminError.notFound("No Microsoft Entra ID user sync with id " + id + " in realm " + realm.getName());
        }
        return c;
    }

    private EntityManager em() {
        return session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    /**
     * Every customer (Organization) of the realm at a glance, paged and searchable by name or alias:
     * its Entra IdP with tenant, cloud, credential and days to expiry, redirect URI; its sync with the
     * schedule, the last run (live while it runs), the guard and failed runs in a row. Needs view-realm
     * (nothing here names a user). {@code total} counts the customers the search matches.
     */
    @GET
    @Path("customers")
    @Produces(MediaType.APPLICATION_JSON)
    public CustomerListRepresentation customers(@QueryParam("search") String search, @QueryParam("alias") String alias,
                                                @QueryParam("first") @DefaultValue("0") int first,
                                                @QueryParam("max") @DefaultValue("20") int max) {
        auth.realm().requireViewRealm();
        if (!realm.isOrganizationsEnabled()) {
            throw AdminError.of(Response.Status.CONFLICT, "organizations_disabled", "Organizations are not enabled in realm '"
                    + realm.getName() + "': switch them on (Realm settings > General > Organizations); each customer is an Organization.");
        }
        if (alias != null && !alias.isBlank()) {
            return new CustomerOverview(session, realm, em()).byAlias(alias.strip());
        }
        return new CustomerOverview(session, realm, em()).page(search, Math.max(0, first), Math.max(1, Math.min(max, 100)));
    }

    @GET
    @Path("{componentId}/runs")
    @Produces(MediaType.APPLICATION_JSON)
    public RunListRepresentation runs(@PathParam("componentId") String componentId, @QueryParam("first") @DefaultValue("0") int first,
                                      @QueryParam("max") @DefaultValue("20") int max) {
        auth.realm().requireViewRealm();
        component(componentId);
        int size = Math.max(1, Math.min(max, 100));
        List<RunRepresentation> runs = em().createNamedQuery("EntraPbxSyncRun.byComponent", SyncRunEntity.class)
                .setParameter("component", componentId).setFirstResult(Math.max(0, first)).setMaxResults(size).getResultList().stream()
                .map(RunRepresentation::of).toList();
        long total = em().createNamedQuery("EntraPbxSyncRun.countByComponent", Long.class).setParameter("component", componentId)
                .getSingleResult();
        return new RunListRepresentation(total, first, runs);
    }

    @GET
    @Path("{componentId}/runs/{runId}")
    @Produces(MediaType.APPLICATION_JSON)
    public RunDetailRepresentation run(@PathParam("componentId") String componentId, @PathParam("runId") String runId,
                                       @QueryParam("first") @DefaultValue("0") int first, @QueryParam("max") @DefaultValue("100") int max) {
        auth.realm().requireViewRealm();
        auth.users().requireView(); // the problems name users, see the class comment
        component(componentId);
        SyncRunEntity r = em().find(SyncRunEntity.class, runId);
        if (r == null || !r.getComponentId().equals(componentId)) {
            throw AdminError.notFound("No run " + runId + " of this sync");
        }
        List<RunDetailRepresentation.Problem> problems = em().createNamedQuery("EntraPbxSyncError.byRun", SyncRunErrorEntity.class)
                .setParameter("run", runId).setFirstResult(Math.max(0, first)).setMaxResults(Math.max(1, Math.min(max, 1000)))
                .getResultList().stream().map(RunDetailRepresentation.Problem::of).toList();
        long problemsTotal = em().createNamedQuery("EntraPbxSyncError.countByRun", Long.class).setParameter("run", runId).getSingleResult();
        return new RunDetailRepresentation(RunRepresentation.of(r), problemsTotal, problems);
    }

    @GET
    @Path("{componentId}/state")
    @Produces(MediaType.APPLICATION_JSON)
    public SyncStateRepresentation state(@PathParam("componentId") String componentId) {
        auth.realm().requireViewRealm();
        component(componentId);
        return SyncStateRepresentation.of(em().find(SyncStateEntity.class, componentId));
    }

    /**
     * Starts a run now, in the background: 202 with the run's id as soon as it is RUNNING (follow it
     * at {@code GET .../runs/{runId}}: phase, pages read, users written, Graph retries), so a long
     * full sync does not meet the request timeout. 409 when another run of this sync is running
     * (started by the schedule, the console or a change notification, on any node) or the sync is
     * disabled; 503 when this server runs {@value SyncLauncher#MAX_BACKGROUND_RUNS} started syncs already.
     *
     * @param mode {@code changed} (default: from the stored delta link) or {@code full} (a new round, reconciled)
     */
    @POST
    @Path("{componentId}/sync")
    @Produces(MediaType.APPLICATION_JSON)
    public Response syncNow(@PathParam("componentId") String componentId, @QueryParam("mode") @DefaultValue("changed") String mode) {
        auth.realm().requireManageRealm();
        ComponentModel c = component(componentId);
        EntraSync.Trigger trigger = switch (mode.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "full" -> EntraSync.Trigger.FULL;
            case "changed" -> EntraSync.Trigger.CHANGED;
            default -> throw AdminError.invalid("invalid_request", "mode must be 'changed' (from the stored delta link) or 'full' "
                    + "(a new round, reconciled).");
        };
        UserStorageProviderModel model = new UserStorageProviderModel(c);
        if (!model.isEnabled()) {
            throw AdminError.of(Response.Status.CONFLICT, "sync_disabled", "The sync '" + c.getName() + "' is disabled: turn "
                    + "'Enabled' on in its settings to run it.");
        }
        SyncLauncher.Start start = factory.startInBackground(session.getKeycloakSessionFactory(), realm.getId(), model, trigger);
        if (start instanceof SyncLauncher.Start.Busy busy) {
            throw AdminError.of(Response.Status.CONFLICT, "sync_running", "A run of '" + c.getName() + "' is running"
                    + (busy.runningRunId() == null ? "" : " (run " + busy.runningRunId() + ")")
                    + "; start another when it has ended. Its progress is in the run log.");
        }
        if (start instanceof SyncLauncher.Start.Saturated s) {
            throw AdminError.of(Response.Status.SERVICE_UNAVAILABLE, "too_many_runs", "This server runs " + s.running()
                    + " syncs started from the console already; start this one when one of them has ended.");
        }
        String runId = ((SyncLauncher.Start.Started) start).runId();
        RunStartRepresentation rep = new RunStartRepresentation(runId, trigger.name().toLowerCase(java.util.Locale.ROOT),
                RunLog.Status.RUNNING.name());
        adminEvent.operation(OperationType.ACTION).resourcePath(session.getContext().getUri()).representation(rep).success();
        return Response.accepted(rep).type(MediaType.APPLICATION_JSON_TYPE)
                .location(session.getContext().getUri().getAbsolutePathBuilder().path("..").path("runs").path(runId).build().normalize())
                .build();
    }

    /** The admin confirms once that the held-back disables and deletions are real; the next run performs them. */
    @POST
    @Path("{componentId}/guard/confirm")
    @Produces(MediaType.APPLICATION_JSON)
    public GuardConfirmationRepresentation confirmGuard(@PathParam("componentId") String componentId) {
        auth.realm().requireManageRealm();
        ComponentModel c = component(componentId);
        SyncStateEntity st = SyncStateEntity.findOrCreate(em(), componentId, realm.getId());
        st.setGuardConfirmed(true);
        GuardConfirmationRepresentation rep = new GuardConfirmationRepresentation(c.getName(), true, st.getGuardMessage());
        adminEvent.operation(OperationType.ACTION).resourcePath(session.getContext().getUri()).representation(rep).success();
        return rep;
    }

    /**
     * Acquires an app token, reads the tenant, and names the application permissions the token
     * lacks. Always 200; {@code ok} says whether the sync can run.
     */
    @POST
    @Path("{componentId}/test-connection")
    @Produces(MediaType.APPLICATION_JSON)
    public TestConnectionRepresentation testConnection(@PathParam("componentId") String componentId) {
        auth.realm().requireManageRealm();
        return ConnectionCheck.run(session, realm, component(componentId), factory);
    }
}
