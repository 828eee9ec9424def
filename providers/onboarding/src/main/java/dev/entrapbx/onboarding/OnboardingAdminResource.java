package dev.entrapbx.onboarding;

import dev.entrapbx.core.CredentialExpiry;
import dev.entrapbx.core.EntraIdpKeys;
import dev.entrapbx.core.SharedRedirect;
import dev.entrapbx.kc.AdminError;
import dev.entrapbx.kc.Db;
import dev.entrapbx.kc.Organizations;
import dev.entrapbx.sync.EntraConnection;
import dev.entrapbx.sync.EntraSyncConfig;
import dev.entrapbx.sync.EntraUserStorageProviderFactory;
import dev.entrapbx.sync.LocalUsers;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.keycloak.component.ComponentModel;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;
import org.keycloak.storage.UserStorageProvider;
import org.keycloak.urls.UrlType;

/**
 * Admin REST of customer onboarding, {@code /admin/realms/{realm}/entra-onboarding}:
 * <ul>
 * <li>{@code GET partner-app}: the partner app as customers will meet it, with the two redirect
 * URIs to register on it;</li>
 * <li>{@code POST invitations}: a new invitation (the Organization, disabled until consent, and the
 * one-time link, shown this once); {@code GET invitations}, {@code GET invitations/{id}};
 * {@code DELETE invitations/{id}} withdraws a pending one (with its still empty Organization);</li>
 * <li>{@code POST customers/{orgId}/offboard}: removes the customer's Entra identity provider and
 * user sync, keeping or deleting its users.</li>
 * </ul>
 * Reading needs view-realm, acting manage-realm; every action is an admin event.
 */
public class OnboardingAdminResource {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;
    private final Clock clock;

    OnboardingAdminResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent, Clock clock) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent.resource(ConsentReturn.EVENT_TYPE);
        this.clock = clock;
    }

    @GET
    @Path("partner-app")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> partnerApp() {
        auth.realm().requireViewRealm();
        Map<String, Object> out = new LinkedHashMap<>();
        Optional<PartnerApp> app = PartnerApp.of(realm);
        out.put("configured", app.isPresent());
        List<String> redirects = List.of(OnboardingResource.consentedUri(session, realm),
                SharedRedirect.uri(session.getContext().getUri(UrlType.FRONTEND).getBaseUri(), realm.getName()));
        out.put("redirectUris", redirects);
        app.ifPresent(a -> {
            out.put("id", a.model().getId());
            out.put("displayName", a.displayName());
            out.put("clientId", a.clientId());
            out.put("credentialType", a.credentialType().id());
            try {
                a.app().credentialExpiry().map(CredentialExpiry::expiresAt).ifPresent(e -> out.put("credentialExpiresAt", e.toString()));
            } catch (RuntimeException e) {
                out.put("credentialProblem", e.getMessage());
            }
            a.certificatePem().filter(x -> a.credentialType() == dev.entrapbx.core.EntraApp.CredentialType.CERTIFICATE)
                    .ifPresent(pem -> out.put("certificatePem", pem));
            out.put("applicationPermissions", CustomerLink.neededPermissions(realm, a).stream().map(EntraConnection.Need::permission).toList());
            out.put("invitationDays", a.invitationValidity().toDays());
        });
        out.put("instructions", "Register these redirect URIs (platform 'Web') on the partner app, make it multi-tenant ('Accounts in any "
                + "organizational directory'), and add the application permissions of Microsoft Graph listed here.");
        return out;
    }

    @POST
    @Path("invitations")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response invite(InvitationRequest request) {
        auth.realm().requireManageRealm();
        PartnerApp app = PartnerApp.of(realm).orElseThrow(() -> AdminError.of(Response.Status.CONFLICT, "partner_app_missing",
                "Configure the realm's partner app first (admin console: Microsoft 365 partner app): customers consent to it."));
        if (!app.problems().isEmpty()) {
            throw AdminError.of(Response.Status.CONFLICT, "partner_app_invalid", "The partner app cannot be used: " + String.join(" ", app.problems()));
        }
        Invitations.Checked checked = Invitations.check(session, realm, request == null ? new InvitationRequest() : request,
                clock.instant());
        if (!checked.problems().isEmpty()) {
            return AdminError.badRequest("invalid_invitation", checked.problems());
        }
        String by = auth.adminAuth().getUser() == null ? null : auth.adminAuth().getUser().getUsername();
        Invitations.Created created = Invitations.create(session, realm, app, checked, by, clock);
        Map<String, Object> rep = representation(created.invitation());
        rep.put("link", OnboardingResource.invitationLink(session, realm, created.token()));
        Map<String, Object> logged = new LinkedHashMap<>(rep);
        logged.remove("link"); // the link is a secret: never in an admin event
        adminEvent.operation(OperationType.CREATE).resourcePath(session.getContext().getUri(), created.invitation().id())
                .representation(logged).success();
        return Response.status(Response.Status.CREATED).entity(rep).type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    @GET
    @Path("invitations")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> invitations(@QueryParam("status") String status, @QueryParam("first") @DefaultValue("0") int first,
                                           @QueryParam("max") @DefaultValue("50") int max) {
        auth.realm().requireViewRealm();
        Invitation.Status s = null;
        if (status != null && !status.isBlank()) {
            try {
                s = Invitation.Status.valueOf(status.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw AdminError.invalid("invalid_request", "status must be one of PENDING, LINKING, LINKED, CANCELLED, OFFBOARDED.");
            }
        }
        Invitation.Status wanted = s;
        int f = Math.max(0, first);
        int m = Math.max(1, Math.min(200, max));
        List<Map<String, Object>> list = Db.run(session, "Onboarding invitations", db -> InvitationStore.page(db, realm.getId(), wanted, f, m))
                .stream().map(this::representation).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("first", f);
        out.put("max", m);
        out.put("invitations", list);
        return out;
    }

    @GET
    @Path("invitations/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> invitation(@PathParam("id") String id) {
        auth.realm().requireViewRealm();
        return representation(find(id));
    }

    /** Withdraws a pending invitation: its link stops working and its Organization (still empty) is deleted. */
    @DELETE
    @Path("invitations/{id}")
    public Response cancel(@PathParam("id") String id) {
        auth.realm().requireManageRealm();
        Invitation inv = find(id);
        if (!inv.isUsable(clock.instant()) && inv.status() != Invitation.Status.PENDING) {
            throw AdminError.of(Response.Status.CONFLICT, "not_pending", "Invitation '" + inv.name() + "' is " + inv.status()
                    + ": only a pending invitation can be withdrawn" + (inv.status() == Invitation.Status.LINKED
                    ? "; offboard the customer instead (POST customers/" + inv.organizationId() + "/offboard)." : "."));
        }
        boolean cancelled = Db.run(session, "Onboarding invitation", db -> InvitationStore.cancel(db, inv.id(), clock.instant()));
        if (!cancelled) {
            throw AdminError.of(Response.Status.CONFLICT, "not_pending", "Invitation '" + inv.name() + "' changed meanwhile; reload it.");
        }
        OrganizationModel org = Organizations.provider(session, realm).getById(inv.organizationId());
        if (org != null && Organizations.provider(session, realm).getMembersCount(org) == 0
                && org.getIdentityProviders().findAny().isEmpty()) {
            Organizations.provider(session, realm).remove(org); // its invitation row goes with it
        }
        adminEvent.operation(OperationType.DELETE).resourcePath(session.getContext().getUri()).representation(Map.of("invitation", inv.id(),
                "name", inv.name())).success();
        return Response.noContent().build();
    }

    /** {@code POST customers/{orgId}/offboard} body. */
    public static class OffboardRequest {
        /** "keep" (default): the users stay, unlinked from Microsoft; "delete": they are deleted. */
        public String users;
        /** With "delete": the number of users that will be deleted, as the first answer named it (the deletion guard). */
        public Integer confirmDeletion;
    }

    @POST
    @Path("customers/{orgId}/offboard")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> offboard(@PathParam("orgId") String orgId, OffboardRequest request) {
        auth.realm().requireManageRealm();
        OrganizationModel org = Organizations.provider(session, realm).getById(orgId);
        if (org == null) {
            throw AdminError.notFound("No Organization with id " + orgId + " in realm " + realm.getName());
        }
        String mode = request == null || request.users == null || request.users.isBlank() ? "keep" : request.users.trim().toLowerCase(Locale.ROOT);
        if (!mode.equals("keep") && !mode.equals("delete")) {
            throw AdminError.invalid("invalid_request", "users must be 'keep' (they stay, without Microsoft sign-in) or 'delete'.");
        }
        List<IdentityProviderModel> idps = org.getIdentityProviders()
                .filter(i -> EntraIdpKeys.PROVIDER_ID.equals(i.getProviderId())).toList();
        List<ComponentModel> syncs = realm.getComponentsStream(realm.getId(), UserStorageProvider.class.getName())
                .filter(c -> EntraUserStorageProviderFactory.PROVIDER_ID.equals(c.getProviderId()))
                .filter(c -> org.getAlias().equals(c.get(EntraSyncConfig.ORGANIZATION)) || org.getId().equals(c.get(EntraSyncConfig.ORGANIZATION)))
                .toList();
        if (idps.isEmpty() && syncs.isEmpty()) {
            throw AdminError.of(Response.Status.CONFLICT, "not_connected", "Organization '" + org.getAlias()
                    + "' has no Microsoft Entra ID identity provider or user sync: nothing to offboard.");
        }
        jakarta.persistence.EntityManager em = session.getProvider(org.keycloak.connections.jpa.JpaConnectionProvider.class).getEntityManager();
        long synced = syncs.stream().mapToLong(c -> LocalUsers.countOfComponent(em, realm.getId(), c.getId())).sum();
        if (mode.equals("delete") && (request.confirmDeletion == null || request.confirmDeletion != synced)) {
            throw AdminError.of(Response.Status.CONFLICT, "confirm_deletion", "Offboarding '" + org.getAlias() + "' with users 'delete' "
                    + "deletes " + synced + " synced users, with their extensions. Repeat with \"confirmDeletion\": " + synced
                    + " to confirm, or use users 'keep'.");
        }
        Optional<Invitation> inv = Db.run(session, "Onboarding", db -> InvitationStore.byOrganization(db, realm.getId(), org.getId()));
        List<String> tenants = new ArrayList<>();
        idps.forEach(i -> {
            tenants.addAll(dev.entrapbx.core.EntraApp.allowedTenants(i.getConfig()));
            Optional.ofNullable(i.getConfig().get(EntraIdpKeys.TENANT)).filter(t -> !t.equalsIgnoreCase("organizations")).ifPresent(tenants::add);
        });
        for (ComponentModel c : syncs) {
            if (mode.equals("keep")) {
                session.users().unlinkUsers(realm, c.getId()); // they stay, local; the component's removal then deletes nobody
            }
            realm.removeComponent(c); // "delete": Keycloak deletes the users it imported, their numbers go to quarantine
        }
        for (IdentityProviderModel i : idps) {
            Organizations.provider(session, realm).removeIdentityProvider(org, i);
            session.identityProviders().remove(i.getAlias());
        }
        org.setEnabled(false);
        inv.filter(i -> i.status() == Invitation.Status.LINKED).ifPresent(i -> Db.run(session, "Onboarding", db -> {
            InvitationStore.offboarded(db, i.id(), clock.instant());
            return null;
        }));
        Optional<PartnerApp> app = PartnerApp.of(realm);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("organization", org.getAlias());
        out.put("identityProvidersRemoved", idps.stream().map(IdentityProviderModel::getAlias).toList());
        out.put("userSyncsRemoved", syncs.stream().map(ComponentModel::getName).toList());
        out.put(mode.equals("keep") ? "usersKept" : "usersDeleted", synced);
        out.put("tenants", tenants.stream().distinct().toList());
        String appName = app.map(a -> "'" + a.displayName() + "' (application ID " + a.clientId() + ")").orElse("the partner app");
        out.put("nextStep", "Ask the customer's Microsoft 365 admin to delete the enterprise application " + appName + " in the Microsoft Entra "
                + "admin center (Enterprise applications > the app > Properties > Delete): until then it keeps the consent it was given.");
        adminEvent.operation(OperationType.ACTION).resourcePath(session.getContext().getUri()).representation(out).success();
        return out;
    }

    private Invitation find(String id) {
        return Db.run(session, "Onboarding invitation", db -> InvitationStore.byId(db, realm.getId(), id))
                .orElseThrow(() -> AdminError.notFound("No onboarding invitation with id " + id + " in realm " + realm.getName()));
    }

    private Map<String, Object> representation(Invitation i) {
        Instant now = clock.instant();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", i.id());
        m.put("name", i.name());
        m.put("domains", i.domains());
        m.put("organizationId", i.organizationId());
        m.put("organizationAlias", Organizations.aliasOf(session, realm, i.organizationId()));
        i.extensionRange().ifPresent(r -> m.put("extensionRange", r));
        m.put("status", i.shownStatus(now));
        m.put("createdAt", i.createdAt().toString());
        i.createdBy().ifPresent(b -> m.put("createdBy", b));
        m.put("expiresAt", i.expiresAt().toString());
        i.linkedAt().ifPresent(t -> m.put("linkedAt", t.toString()));
        i.tenantId().or(i::pastTenantId).ifPresent(t -> m.put("tenantId", t));
        i.idpAlias().ifPresent(a -> m.put("identityProvider", a));
        i.componentId().ifPresent(c -> m.put("userSync", c));
        i.runId().ifPresent(r -> m.put("firstRun", r));
        i.detail().ifPresent(d -> m.put("detail", d));
        i.offboardedAt().ifPresent(t -> m.put("offboardedAt", t.toString()));
        return m;
    }
}
