package dev.entrapbx.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.entrapbx.core.AppTokens;
import dev.entrapbx.core.EntraCertificate;
import dev.entrapbx.core.EntraCloud;
import dev.entrapbx.core.EntraEndpoints;
import dev.entrapbx.core.EntraIdpKeys;
import dev.entrapbx.core.TenantSelector;
import dev.entrapbx.sync.graph.GraphDirectory;
import java.io.IOException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.truststore.TruststoreProvider;
import org.keycloak.util.JsonSerialization;
import org.keycloak.vault.VaultStringSecret;

/**
 * Where and as whom a sync reads Entra: cloud endpoints, the tenant, the app credential (the
 * component's own, or the linked {@code entra-id} IdP's, typed once), resolved inside a Keycloak
 * session (vault references, trust store). Holds the secret; never printed.
 */
public final class EntraConnection {

    private final EntraEndpoints endpoints;
    private final String tenant;
    private final AppTokens.Credential credential;
    private final SSLContext tls;
    private final X509TrustManager trustManager;

    private EntraConnection(EntraEndpoints endpoints, String tenant, AppTokens.Credential credential, SSLContext tls,
                            X509TrustManager trustManager) {
        this.endpoints = endpoints;
        this.tenant = tenant;
        this.credential = credential;
        this.tls = tls;
        this.trustManager = trustManager;
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
        if (org == null) {
            return Optional.empty();
        }
        List<IdentityProviderModel> entra = org.getIdentityProviders()
                .filter(i -> EntraIdpKeys.PROVIDER_ID.equals(i.getProviderId())).toList();
        return entra.size() == 1 ? Optional.of(entra.get(0)) : Optional.empty();
    }

    /**
     * @throws IllegalArgumentException with what to fix when the configuration cannot connect
     */
    public static EntraConnection resolve(KeycloakSession session, RealmModel realm, EntraSyncConfig config,
                                          Optional<IdentityProviderModel> idp, boolean overrideAllowed) {
        String cloudId;
        String tenant;
        String clientId;
        String secretOrKey;
        String certificatePem = null;
        String override;
        if (config.reuseIdpCredentials() && idp.isPresent()) {
            Map<String, String> c = idp.get().getConfig();
            cloudId = c.get(EntraIdpKeys.CLOUD);
            String idpTenant = c.get(EntraIdpKeys.TENANT);
            tenant = config.tenant().orElse(idpTenant);
            clientId = c.get(EntraIdpKeys.CLIENT_ID);
            secretOrKey = c.get(EntraIdpKeys.CLIENT_SECRET);
            override = c.get(EntraIdpKeys.AUTHORITY_HOST_OVERRIDE);
            if ("certificate".equalsIgnoreCase(String.valueOf(c.get(EntraIdpKeys.CREDENTIAL_TYPE)).trim())) {
                certificatePem = c.get(EntraIdpKeys.CERTIFICATE);
            }
            if (tenant == null || TenantSelector.ORGANIZATIONS.equalsIgnoreCase(tenant.trim())) {
                throw new IllegalArgumentException("Identity provider '" + idp.get().getAlias() + "' is multi-tenant: set Tenant on the "
                        + "sync to this customer's tenant ID.");
            }
        } else {
            cloudId = config.cloudRaw().orElse(null);
            tenant = config.tenant().orElseThrow(() -> new IllegalArgumentException("Tenant is required."));
            clientId = config.clientId().orElseThrow(() -> new IllegalArgumentException("Client ID is required."));
            secretOrKey = config.clientSecret().orElseThrow(() -> new IllegalArgumentException("Client secret is required."));
            override = config.authorityHostOverride().orElse(null);
        }
        if (clientId == null || secretOrKey == null) {
            throw new IllegalArgumentException("Identity provider '" + idp.map(IdentityProviderModel::getAlias).orElse("?")
                    + "' has no client ID or credential to reuse.");
        }
        EntraCloud cloud = cloudId == null || cloudId.isBlank() ? EntraCloud.GLOBAL : EntraCloud.fromId(cloudId)
                .orElseThrow(() -> new IllegalArgumentException("Unknown cloud '" + cloudId + "'."));
        TenantSelector selector = TenantSelector.parse(tenant);
        EntraEndpoints endpoints;
        if (override != null && !override.isBlank()) {
            if (!overrideAllowed) {
                throw new IllegalArgumentException("An authority host override is set, which this server does not allow "
                        + "(it is for the Entra simulator only): clear it.");
            }
            endpoints = EntraEndpoints.withOverride(cloud, selector, override.trim());
        } else {
            endpoints = EntraEndpoints.of(cloud, selector);
        }
        String secret = resolveVault(session, secretOrKey.trim());
        AppTokens.Credential credential = certificatePem != null
                ? AppTokens.Credential.certificate(clientId.trim(), EntraCertificate.fromPem(certificatePem, secret))
                : AppTokens.Credential.secret(clientId.trim(), secret);
        SSLContext tls = null;
        X509TrustManager tm = null;
        TruststoreProvider truststore = session.getProvider(TruststoreProvider.class);
        if (truststore != null && truststore.getTruststore() != null) {
            try {
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init((KeyStore) truststore.getTruststore());
                for (TrustManager t : tmf.getTrustManagers()) {
                    if (t instanceof X509TrustManager x) {
                        tm = x;
                    }
                }
                tls = SSLContext.getInstance("TLS");
                tls.init(null, new TrustManager[] {tm}, null);
            } catch (Exception e) {
                throw new IllegalStateException("Keycloak's trust store cannot be used for Graph: " + e.getMessage(), e);
            }
        }
        return new EntraConnection(endpoints, selector.value(), credential, tls, tm);
    }

    private static String resolveVault(KeycloakSession session, String value) {
        if (!value.startsWith("${vault.")) {
            return value;
        }
        try (VaultStringSecret s = session.vault().getStringSecret(value)) {
            return s.get().orElseThrow(() -> new IllegalArgumentException("The vault has no entry for " + value
                    + ": add it to Keycloak's vault or paste the secret."));
        }
    }

    public String graphToken(AppTokens tokens) {
        return tokens.graphToken(endpoints, tenant, credential);
    }

    public GraphDirectory directory(AppTokens tokens, GraphDirectory.RetryPolicy policy) {
        return new GraphDirectory(endpoints.graphBaseUrl(), () -> graphToken(tokens),
                tls == null ? null : tls.getSocketFactory(), trustManager, policy);
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

    /** Which needed application permissions the token lacks, each with a sentence for the admin. */
    public static List<String> missingPermissions(Set<String> roles, EntraSyncConfig config) {
        List<String> missing = new ArrayList<>();
        if (!hasAny(roles, "User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All")) {
            missing.add("User.Read.All is not granted (admin consent missing?): the sync cannot read users.");
        }
        if (config.scope() == EntraSyncConfig.Scope.GROUPS
                && !hasAny(roles, "GroupMember.Read.All", "Group.Read.All", "Directory.Read.All", "Directory.ReadWrite.All")) {
            missing.add("GroupMember.Read.All is not granted (admin consent missing?): group scope cannot read group members.");
        }
        if (!hasAny(roles, "Domain.Read.All", "Domain.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All")) {
            missing.add("Domain.Read.All is not granted (admin consent missing?): emails cannot be checked against the tenant's "
                    + "verified domains, so synced emails are not marked verified.");
        }
        return missing;
    }

    private static boolean hasAny(Set<String> roles, String... any) {
        for (String a : any) {
            if (roles.contains(a)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "EntraConnection[" + endpoints + ", tenant " + tenant + ", " + credential + "]";
    }
}
