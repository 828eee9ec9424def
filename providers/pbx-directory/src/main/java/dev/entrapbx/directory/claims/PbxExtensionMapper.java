package dev.entrapbx.directory.claims;

import dev.entrapbx.kc.ExtensionInfo;
import dev.entrapbx.kc.Organizations;
import dev.entrapbx.kc.Settings;
import dev.entrapbx.sync.EntraUserMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.ProtocolMapperContainerModel;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.organization.protocol.mappers.oidc.OrganizationScope;
import org.keycloak.protocol.ProtocolMapperConfigException;
import org.keycloak.protocol.oidc.mappers.AbstractOIDCProtocolMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAccessTokenMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAttributeMapperHelper;
import org.keycloak.protocol.oidc.mappers.OIDCIDTokenMapper;
import org.keycloak.protocol.oidc.mappers.TokenIntrospectionTokenMapper;
import org.keycloak.protocol.oidc.mappers.UserInfoTokenMapper;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ServerInfoAwareProviderFactory;
import org.keycloak.representations.IDToken;

/**
 * Token mapper "PBX extension" ({@value #PROVIDER_ID}): the user's {@code extension}, the phone
 * system (Organization id and alias) and optionally the phone-system roles; shape and omissions in
 * {@link PbxClaims}.
 *
 * <p>Which Organization, for a member of several: the one the request's {@code organization} scope
 * resolves to (Keycloak's {@link OrganizationScope}: {@code organization:<alias>}, or plain
 * {@code organization} once the user picked one), else the one chosen at sign-in (client session
 * note {@code kc.org}: the organization selection page, or the Organization whose identity provider
 * signed the user in), else the request's current Organization; for a member of one, that one.
 * Otherwise the claim is left out, never guessed.
 */
public class PbxExtensionMapper extends AbstractOIDCProtocolMapper
        implements OIDCIDTokenMapper, OIDCAccessTokenMapper, UserInfoTokenMapper, TokenIntrospectionTokenMapper,
        ServerInfoAwareProviderFactory {

    public static final String PROVIDER_ID = "pbx-extension";

    private static final List<ProviderConfigProperty> CONFIG;

    static {
        List<ProviderConfigProperty> config = new ArrayList<>(Settings.properties(PbxExtensionMapperConfig.SETTINGS));
        OIDCAttributeMapperHelper.addIncludeInTokensConfig(config, PbxExtensionMapper.class);
        CONFIG = List.copyOf(config);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "PBX extension";
    }

    @Override
    public String getDisplayCategory() {
        return TOKEN_MAPPER_CATEGORY;
    }

    @Override
    public String getHelpText() {
        return "Adds 'extension' (the user's PBX extension, left out when the user has none) and 'pbx.organization' "
                + "(id and alias of the user's phone system). For a member of several Organizations the one the "
                + "'organization' scope or the sign-in selected is used; when none was selected the organization is "
                + "left out. Optionally adds 'pbx.roles'.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }

    @Override
    public Map<String, String> getOperationalInfo() {
        return ExtensionInfo.operationalInfo();
    }

    /** Refuses a roles client that does not exist in the realm (admin console and admin REST). */
    @Override
    public void validateConfig(KeycloakSession session, RealmModel realm, ProtocolMapperContainerModel client,
                               ProtocolMapperModel mapperModel) throws ProtocolMapperConfigException {
        PbxExtensionMapperConfig config = PbxExtensionMapperConfig.of(mapperModel.getConfig());
        Optional<String> rolesClient = config.rolesClient();
        if (rolesClient.isPresent() && realm.getClientByClientId(rolesClient.get()) == null) {
            // Keycloak answers error = the message, error_description = MessageFormat of the key's admin message
            // (none: the message again), so the message has no apostrophes or braces; a key is required
            throw new ProtocolMapperConfigException("Roles client \"" + formatSafe(rolesClient.get()) + "\" does not exist in realm \""
                    + formatSafe(realm.getName()) + "\": give the Client ID of an existing client, or leave it empty for the client the token is for.",
                    "pbxExtensionMapperUnknownRolesClient");
        }
    }

    /** A value echoed in a message that Keycloak runs through MessageFormat: its quote and braces replaced. */
    static String formatSafe(String value) {
        return value.replaceAll("['{}]", "?");
    }

    @Override
    protected void setClaim(IDToken token, ProtocolMapperModel mappingModel, UserSessionModel userSession, KeycloakSession session,
                            ClientSessionContext clientSessionCtx) {
        UserModel user = userSession.getUser();
        RealmModel realm = userSession.getRealm();
        PbxExtensionMapperConfig config = PbxExtensionMapperConfig.of(mappingModel.getConfig());
        PbxClaims.Organization organization = organization(session, realm, user, clientSessionCtx)
                .map(o -> new PbxClaims.Organization(o.getId(), o.getAlias()))
                .orElse(null);
        List<String> roles = config.addRoles() ? roles(realm, user, config, clientSessionCtx) : List.of();
        token.getOtherClaims().putAll(PbxClaims.of(user.getFirstAttribute(EntraUserMapper.ATTR_EXTENSION), organization, roles));
    }

    /** The user's phone system for this token, as the class comment says; empty when Organizations are off. */
    static Optional<OrganizationModel> organization(KeycloakSession session, RealmModel realm, UserModel user, ClientSessionContext ctx) {
        OrganizationProvider orgs = Organizations.provider(session, realm);
        if (orgs == null) {
            return Optional.empty();
        }
        List<OrganizationModel> memberships = orgs.getByMember(user).filter(OrganizationModel::isEnabled).toList();
        if (memberships.size() < 2) {
            // a preference can only name a membership: with one (or none) there is nothing to choose
            return PbxClaims.choose(List.of(), memberships, OrganizationModel::getId);
        }
        List<String> preferred = new ArrayList<>();
        String scopes = ctx.getScopeString(true);
        OrganizationScope scope = OrganizationScope.valueOfScope(session, scopes);
        if (scope != null) {
            List<OrganizationModel> requested = scope.resolveOrganizations(user, scopes, session).toList();
            if (requested.size() == 1) {
                preferred.add(requested.get(0).getId());
            }
        }
        AuthenticatedClientSessionModel clientSession = ctx.getClientSession();
        if (clientSession != null) {
            preferred.add(clientSession.getNote(OrganizationModel.ORGANIZATION_ATTRIBUTE));
        }
        OrganizationModel current = session.getContext().getOrganization();
        if (current != null) {
            preferred.add(current.getId());
        }
        return PbxClaims.choose(preferred, memberships, OrganizationModel::getId);
    }

    /** The names of the roles client's roles the user holds (effective), sorted; empty when that client is gone. */
    private static List<String> roles(RealmModel realm, UserModel user, PbxExtensionMapperConfig config, ClientSessionContext ctx) {
        ClientModel client = config.rolesClient().map(realm::getClientByClientId)
                .orElseGet(() -> ctx.getClientSession() == null ? null : ctx.getClientSession().getClient());
        if (client == null) {
            return List.of();
        }
        return client.getRolesStream().filter(user::hasRole).map(RoleModel::getName).sorted().toList();
    }
}
