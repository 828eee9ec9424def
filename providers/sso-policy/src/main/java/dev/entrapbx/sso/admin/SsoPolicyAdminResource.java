package dev.entrapbx.sso.admin;

import dev.entrapbx.kc.AdminError;
import dev.entrapbx.kc.Organizations;
import dev.entrapbx.kc.ValidationMessages;
import dev.entrapbx.sso.SsoCoverage;
import dev.entrapbx.sso.SsoDecider;
import dev.entrapbx.sso.SsoDecision;
import dev.entrapbx.sso.SsoFlows;
import dev.entrapbx.sso.SsoPolicy;
import dev.entrapbx.sso.SsoPolicyPageFactory;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.ModelToRepresentation;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;
import org.keycloak.services.ui.extend.UiPageProvider;

/**
 * Admin REST for SSO policies, under {@code /admin/realms/{realm}/sso-policy}: the same components
 * as the admin console page "SSO policies", in a shape meant for provisioning scripts.
 * <ul>
 *   <li>{@code GET /} every organization with its effective policy, and the partner-portal policy;</li>
 *   <li>{@code GET|PUT|DELETE /organizations/{alias}} and {@code GET|PUT|DELETE /partner}: one policy
 *       ({@code {"ssoEnabled", "identityProvider", "excludedUsers", "excludedGroup", "domains"}});
 *       PUT validates like the console (400 with the message on a problem) and, like every change
 *       through the console, records an admin event (resource type COMPONENT, with the representation);</li>
 *   <li>{@code GET /decision?user=} what a sign-in with that username or email would do, and why;</li>
 *   <li>{@code POST /flows} adds the ready-made login flows to the realm when they are missing.</li>
 * </ul>
 * Reading policies needs view-realm, changing them manage-realm: a policy is realm configuration
 * (its excluded usernames and group are what an admin typed, and view-realm reads the same
 * component through {@code GET /components} anyway). The decision tells about a user, so it also
 * needs what Keycloak's users API needs to find and show that user: query-users to ask at all (so
 * view-realm alone cannot probe which addresses have accounts), and view permission on the user
 * when the address is an account's (view-users or manage-users, or a fine-grained permission).
 */
public class SsoPolicyAdminResource {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;
    private final SsoDecider decider;

    public SsoPolicyAdminResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent.resource(ResourceType.COMPONENT);
        this.decider = new SsoDecider(session, realm);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public OverviewRepresentation overview() {
        auth.realm().requireViewRealm();
        OrganizationProvider provider = organizations(false);
        List<OrganizationPolicyRepresentation> orgs = provider == null ? List.of()
                : provider.getAllStream("", false, 0, 1000).map(this::organizationPolicy).toList();
        return new OverviewRepresentation(orgs, decider.partnerPolicy().map(PolicyRepresentation::of).orElse(null));
    }

    @GET
    @Path("organizations/{alias}")
    @Produces(MediaType.APPLICATION_JSON)
    public OrganizationPolicyRepresentation organization(@PathParam("alias") String alias) {
        auth.realm().requireViewRealm();
        return organizationPolicy(organizationByAlias(alias));
    }

    @PUT
    @Path("organizations/{alias}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response putOrganization(@PathParam("alias") String alias, Map<String, Object> body) {
        auth.realm().requireManageRealm();
        OrganizationModel org = organizationByAlias(alias);
        return save(decider.policyFor(org.getAlias()), org.getAlias(), body);
    }

    @DELETE
    @Path("organizations/{alias}")
    public Response deleteOrganization(@PathParam("alias") String alias) {
        auth.realm().requireManageRealm();
        OrganizationModel org = organizationByAlias(alias);
        return delete(decider.policyFor(org.getAlias()), "Organization " + org.getAlias() + " has no saved SSO policy.");
    }

    @GET
    @Path("partner")
    @Produces(MediaType.APPLICATION_JSON)
    public PolicyRepresentation partner() {
        auth.realm().requireViewRealm();
        return decider.partnerPolicy().map(PolicyRepresentation::of)
                .orElseThrow(() -> AdminError.notFound("Realm " + realm.getName() + " has no partner-portal SSO policy."));
    }

    @PUT
    @Path("partner")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response putPartner(Map<String, Object> body) {
        auth.realm().requireManageRealm();
        return save(decider.partnerPolicy(), null, body);
    }

    @DELETE
    @Path("partner")
    public Response deletePartner() {
        auth.realm().requireManageRealm();
        return delete(decider.partnerPolicy(), "Realm " + realm.getName() + " has no partner-portal SSO policy.");
    }

    @GET
    @Path("decision")
    @Produces(MediaType.APPLICATION_JSON)
    public DecisionRepresentation decision(@QueryParam("user") String user) {
        auth.realm().requireViewRealm();
        // as GET /users and GET /users/{id}: query first, then view of the user found
        auth.users().requireQuery();
        if (user == null || user.isBlank()) {
            throw AdminError.invalid("invalid_request", "Give ?user= a username or email.");
        }
        UserModel u = decider.lookup(user.strip());
        if (u != null) {
            auth.users().requireView(u);
        }
        SsoDecision d = u != null ? decider.forUser(u, user.strip()) : decider.forUnknown(user.strip());
        return new DecisionRepresentation(user.strip(), u != null, d.representation());
    }

    /**
     * Every place the realm checks or sets a password (its bindings, clients' flow overrides,
     * identity providers' login flows, SAML ECP clients), each {@code guarded} or not, with what
     * to fix; {@code unguarded} counts the holes. Configuration only: view-realm.
     */
    @GET
    @Path("flows")
    @Produces(MediaType.APPLICATION_JSON)
    public FlowCoverageRepresentation flowCoverage() {
        auth.realm().requireViewRealm();
        return FlowCoverageRepresentation.of(SsoCoverage.of(session, realm));
    }

    @POST
    @Path("flows")
    @Produces(MediaType.APPLICATION_JSON)
    public FlowsInstalledRepresentation installFlows() {
        auth.realm().requireManageRealm();
        List<String> added = SsoFlows.install(session, realm);
        adminEvent.resource(ResourceType.AUTH_FLOW).operation(OperationType.CREATE).resourcePath(session.getContext().getUri())
                .representation(Map.of("added", added)).success();
        return FlowsInstalledRepresentation.of(added);
    }

    private Response save(Optional<SsoPolicy> existing, String orgAlias, Map<String, Object> body) {
        if (body == null) {
            throw AdminError.invalid("invalid_request", "Send a JSON object such as {\"ssoEnabled\": true, \"excludedUsers\": [\"admin@contoso.com\"]}.");
        }
        List<String> unknown = body.keySet().stream().filter(k -> !FIELDS.contains(k)).toList();
        if (!unknown.isEmpty()) {
            return problem("Unknown field(s) " + unknown + "; known: " + FIELDS + ".");
        }
        ComponentModel model = existing.flatMap(SsoPolicy::componentId).map(realm::getComponent).map(ComponentModel::new)
                .orElseGet(ComponentModel::new);
        boolean create = model.getId() == null;
        if (create) {
            model.setProviderId(SsoPolicyPageFactory.PROVIDER_ID);
            model.setProviderType(UiPageProvider.class.getName());
            model.setParentId(realm.getId());
        }
        MultivaluedHashMap<String, String> config = new MultivaluedHashMap<>();
        if (orgAlias != null) {
            config.putSingle(SsoPolicy.ORGANIZATION, orgAlias);
        }
        Object enabled = body.getOrDefault(SsoPolicy.SSO_ENABLED, Boolean.TRUE);
        if (!(enabled instanceof Boolean)) {
            return problem("ssoEnabled must be true or false.");
        }
        config.putSingle(SsoPolicy.SSO_ENABLED, enabled.toString());
        try {
            putString(config, body, SsoPolicy.IDENTITY_PROVIDER);
            putString(config, body, SsoPolicy.EXCLUDED_GROUP);
            putList(config, body, SsoPolicy.EXCLUDED_USERS);
            putList(config, body, SsoPolicy.DOMAINS);
        } catch (IllegalArgumentException e) {
            return problem(e.getMessage());
        }
        model.setConfig(config);
        try {
            if (create) {
                model = realm.addComponentModel(model);
            } else {
                realm.updateComponent(model);
            }
        } catch (ComponentValidationException e) {
            return problem(ValidationMessages.plain(e.getMessage()));
        }
        adminEvent.operation(create ? OperationType.CREATE : OperationType.UPDATE).resourcePath("components", model.getId())
                .representation(ModelToRepresentation.toRepresentation(session, model, false)).success();
        return Response.status(create ? Response.Status.CREATED : Response.Status.OK).entity(PolicyRepresentation.of(SsoPolicy.of(model))).build();
    }

    private Response delete(Optional<SsoPolicy> existing, String missing) {
        ComponentModel model = existing.flatMap(SsoPolicy::componentId).map(realm::getComponent)
                .orElseThrow(() -> AdminError.notFound(missing));
        realm.removeComponent(model);
        adminEvent.operation(OperationType.DELETE).resourcePath("components", model.getId()).success();
        return Response.noContent().build();
    }

    private static final List<String> FIELDS = List.of(SsoPolicy.SSO_ENABLED, SsoPolicy.IDENTITY_PROVIDER, SsoPolicy.EXCLUDED_USERS,
            SsoPolicy.EXCLUDED_GROUP, SsoPolicy.DOMAINS);

    private static void putString(MultivaluedHashMap<String, String> config, Map<String, Object> body, String key) {
        Object v = body.get(key);
        if (v == null) {
            return;
        }
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException(key + " must be a string.");
        }
        if (!s.isBlank()) {
            config.putSingle(key, s.strip());
        }
    }

    private static void putList(MultivaluedHashMap<String, String> config, Map<String, Object> body, String key) {
        Object v = body.get(key);
        if (v == null) {
            return;
        }
        if (!(v instanceof List<?> list) || list.stream().anyMatch(e -> !(e instanceof String))) {
            throw new IllegalArgumentException(key + " must be a list of strings.");
        }
        List<String> values = list.stream().map(e -> ((String) e).strip()).filter(s -> !s.isEmpty()).toList();
        if (!values.isEmpty()) {
            config.put(key, new ArrayList<>(values));
        }
    }

    private static Response problem(String message) {
        return new AdminError("invalid_sso_policy", message, null).response(Response.Status.BAD_REQUEST);
    }

    private OrganizationPolicyRepresentation organizationPolicy(OrganizationModel org) {
        return OrganizationPolicyRepresentation.of(org, decider.policyFor(org.getAlias()));
    }

    private OrganizationModel organizationByAlias(String alias) {
        organizations(true);
        return Organizations.byAlias(session, realm, alias)
                .orElseThrow(() -> AdminError.notFound("No organization with alias " + alias + " in realm " + realm.getName() + "."));
    }

    private OrganizationProvider organizations(boolean required) {
        if (!realm.isOrganizationsEnabled()) {
            if (required) {
                throw AdminError.invalid("invalid_request", "Organizations are not enabled in realm " + realm.getName()
                        + " (Realm settings > Organizations).");
            }
            return null;
        }
        return Organizations.provider(session, realm);
    }
}
