package dev.entrapbx.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.entrapbx.core.AppTokens;
import dev.entrapbx.core.AuthorityOverrideGate;
import dev.entrapbx.core.EntraApp;
import dev.entrapbx.core.EntraEndpoints;
import dev.entrapbx.core.EntraIdpKeys;
import dev.entrapbx.core.OrganizationEntraProviders;
import dev.entrapbx.core.TenantSelector;
import dev.entrapbx.graph.GraphTls;
import dev.entrapbx.graph.RetryPolicy;
import dev.entrapbx.sync.graph.GraphDirectory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.util.JsonSerialization;

/**
 * Where and as whom a sync reads Entra: cloud endpoints, the tenant, the app credential (the
 * component's own, or the linked {@code entra-id} IdP's, typed once), resolved inside a Keycloak
 * session (vault references, trust store). Holds the secret; never printed.
 */
public final class EntraConnection {

    private final EntraEndpoints endpoints;
    private final String tenant;
    private final AppTokens.Credential credential;
    private final GraphTls tls;

    private EntraConnection(EntraEndpoints endpoints, String tenant, AppTokens.Credential credential, GraphTls tls) {
        this.endpoints = endpoints;
        this.tenant = tenant;
        this.credential = credential;
        this.tls = tls;
    }

    public String clientId() {
        return credential.clientId();
    }

    /**
     * The identity provider users are linked to: the configured alias, else the organization's only
     * {@code entra-id} provider.
     */
    public static Optional<IdentityProviderModel> linkedIdentityProvider(KeycloakSession session, EntraSyncConfig config, OrganizationModel org) {
        if (config.identityProviderAlias().isPresent()) {
            return Optional.ofNullable(session.identityProviders().getByAlias(config.identityProviderAlias().get()));
        }
        return OrganizationEntraProviders.only(org);
    }

    /** The server option that allows an authority-host override for user syncs, named when one is refused. */
    public static final String OVERRIDE_OPTION = "--spi-storage--" + EntraIdpKeys.USER_SYNC_PROVIDER_ID + "--"
            + AuthorityOverrideGate.OPTION;

    /**
     * The Entra app a sync reads: the linked identity provider's ({@link EntraApp#of}, with the
     * sync's tenant when it names one), or the component's own settings ({@link EntraApp#ownSettings}).
     *
     * @throws IllegalArgumentException with what to fix when there is none
     */
    public static EntraApp app(EntraSyncConfig config, Optional<IdentityProviderModel> idp) {
        if (config.reuseIdpCredentials() && idp.isPresent()) {
            EntraApp app = EntraApp.of(idp.get());
            Optional<String> tenant = config.tenant().or(app::tenantValue);
            if (tenant.isEmpty() || TenantSelector.ORGANIZATIONS.equalsIgnoreCase(tenant.get())) {
                throw new IllegalArgumentException("Identity provider '" + idp.get().getAlias() + "' is multi-tenant: set Tenant on the "
                        + "sync to this customer's tenant ID.");
            }
            if (app.clientId().isEmpty() || app.secret().isEmpty()) {
                throw new IllegalArgumentException("Identity provider '" + idp.get().getAlias() + "' has no client ID or credential to reuse.");
            }
            return app.withTenant(tenant.get());
        }
        config.tenant().orElseThrow(() -> new IllegalArgumentException("Tenant is required."));
        config.clientId().orElseThrow(() -> new IllegalArgumentException("Client ID is required."));
        config.clientSecret().orElseThrow(() -> new IllegalArgumentException("Client secret is required."));
        return EntraApp.ofSettings("user sync", key -> ownSetting(config, key));
    }

    /** The sync's own connection settings, by their {@link EntraIdpKeys} name (the component stores them under the same names). */
    private static String ownSetting(EntraSyncConfig config, String key) {
        Optional<String> v = switch (key) {
            case EntraIdpKeys.CLOUD -> config.cloudRaw();
            case EntraIdpKeys.TENANT -> config.tenant();
            case EntraIdpKeys.CLIENT_ID -> config.clientId();
            case EntraIdpKeys.CLIENT_SECRET -> config.clientSecret();
            case EntraIdpKeys.AUTHORITY_HOST_OVERRIDE -> config.authorityHostOverride();
            default -> Optional.empty(); // a sync's own credential is a secret; its expiry matters to the expiry check only
        };
        return v.orElse(null);
    }

    /**
     * @throws IllegalArgumentException with what to fix when the configuration cannot connect
     */
    public static EntraConnection resolve(KeycloakSession session, RealmModel realm, EntraSyncConfig config,
                                          Optional<IdentityProviderModel> idp, boolean overrideAllowed) {
        return resolve(session, app(config, idp), new AuthorityOverrideGate(overrideAllowed, OVERRIDE_OPTION));
    }

    /**
     * A connection to {@code app}'s tenant: endpoints behind {@code gate}, the credential with a vault
     * reference resolved, Keycloak's trust store for Graph.
     *
     * @throws IllegalArgumentException with what to fix when the app cannot connect
     */
    public static EntraConnection resolve(KeycloakSession session, EntraApp app, AuthorityOverrideGate gate) {
        EntraEndpoints endpoints = app.endpoints(gate);
        AppTokens.Credential credential = app.credential(session);
        return new EntraConnection(endpoints, endpoints.tenant().value(), credential, GraphTls.of(session));
    }

    /**
     * Where the customer's admin grants the app's permissions: Microsoft's admin-consent endpoint for
     * this tenant and app (v1 form, which grants every permission the app registration lists).
     */
    public String adminConsentUrl() {
        return endpoints.authorityFor(tenant) + "adminconsent?client_id=" + java.net.URLEncoder.encode(clientId(),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    public String graphToken(AppTokens tokens) {
        return tokens.graphToken(endpoints, tenant, credential);
    }

    /** The sync's Graph reads for this tenant, on a background client ({@link dev.entrapbx.graph.GraphClients}) with {@code policy}. */
    public GraphDirectory directory(AppTokens tokens, RetryPolicy policy) {
        return new GraphDirectory(endpoints.graphBaseUrl(), () -> graphToken(tokens), tls, policy);
    }

    /** The claims of an app token that matter to us: tenant and granted application permissions. */
    public record TokenFacts(String tenantId, Set<String> roles) {
    }

    public static TokenFacts facts(String accessToken) {
        String[] parts = accessToken.split("\\.");
        if (parts.length < 2) {
            throw new IllegalArgumentException("the app token is not a JWT");
        }
        try {
            JsonNode claims = JsonSerialization.readValue(Base64.getUrlDecoder().decode(parts[1]), JsonNode.class);
            Set<String> roles = new LinkedHashSet<>();
            claims.path("roles").forEach(r -> roles.add(r.asText()));
            return new TokenFacts(claims.path("tid").asText(null), roles);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the app token cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * An application permission of Microsoft Graph a configuration needs: its name, the permissions
     * that also satisfy it, and what cannot work without it (shown to admins and to a customer's admin
     * before consenting).
     */
    public record Need(String permission, List<String> satisfiedBy, String without) {
        boolean isMet(Set<String> roles) {
            return roles.contains(permission) || satisfiedBy.stream().anyMatch(roles::contains);
        }
    }

    private static final List<String> DIRECTORY = List.of("Directory.Read.All", "Directory.ReadWrite.All");

    /** The application permissions {@code config} needs, in the order an admin reads them. */
    public static List<Need> neededPermissions(EntraSyncConfig config) {
        List<Need> needs = new ArrayList<>();
        needs.add(new Need("User.Read.All", plus(DIRECTORY, "User.ReadWrite.All"), "the sync cannot read users"));
        if (config.scope() == EntraSyncConfig.Scope.GROUPS) {
            needs.add(new Need("GroupMember.Read.All", plus(DIRECTORY, "Group.Read.All"), "group scope cannot read group members"));
        }
        needs.add(new Need("Domain.Read.All", plus(DIRECTORY, "Domain.ReadWrite.All"), "emails cannot be checked against the tenant's "
                + "verified domains, so synced emails are not marked verified"));
        if (config.contactsPersonal() || !config.contactsSharedMailboxes().isEmpty()) {
            needs.add(new Need("Contacts.Read", List.of("Contacts.ReadWrite"), "personal and shared-mailbox contacts cannot be read"));
        }
        if (config.contactsOrganizational()) {
            needs.add(new Need("OrgContact.Read.All", DIRECTORY, "organizational contacts cannot be read"));
        }
        if (config.presence()) {
            needs.add(new Need("Presence.Read.All", List.of("Presence.ReadWrite.All"), "Teams presence cannot be read"));
        }
        if (config.presenceCalendar()) {
            needs.add(new Need("Calendars.ReadBasic", List.of("Calendars.Read", "Calendars.ReadWrite"),
                    "calendar busy cannot be read for users without Teams"));
        }
        if (config.presenceFromPbx()) {
            needs.add(new Need("Presence.ReadWrite.All", List.of(), "PBX calls cannot be shown in Teams"));
        }
        return needs;
    }

    private static List<String> plus(List<String> base, String... more) {
        List<String> all = new ArrayList<>(List.of(more));
        all.addAll(base);
        return all;
    }

    /** Which needed application permissions the token lacks, each with a sentence for the admin. */
    public static List<String> missingPermissions(Set<String> roles, EntraSyncConfig config) {
        return neededPermissions(config).stream().filter(n -> !n.isMet(roles))
                .map(n -> n.permission() + " is not granted (admin consent missing?): " + n.without() + ".").toList();
    }


    @Override
    public String toString() {
        return "EntraConnection[" + endpoints + ", tenant " + tenant + ", " + credential + "]";
    }
}
