package dev.entrapbx.core;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The v2.0 endpoints of one tenant selector in one cloud, derived so that an admin never types
 * endpoint URLs. An authority-host override replaces both the login and the Graph host; it exists
 * for the Entra simulator only (development and tests) and must never be set in production.
 *
 * <p>Paths per https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc
 * (authorize, token, keys, logout, issuer template).
 */
public final class EntraEndpoints {

    public static final String TENANT_ID_PLACEHOLDER = "{tenantid}";

    private final EntraCloud cloud;
    private final TenantSelector tenant;
    private final String loginBase;
    private final String graphBase;
    private final boolean overridden;

    private EntraEndpoints(EntraCloud cloud, TenantSelector tenant, String loginBase, String graphBase, boolean overridden) {
        this.cloud = cloud;
        this.tenant = tenant;
        this.loginBase = loginBase;
        this.graphBase = graphBase;
        this.overridden = overridden;
    }

    public static EntraEndpoints of(EntraCloud cloud, TenantSelector tenant) {
        return new EntraEndpoints(Objects.requireNonNull(cloud), Objects.requireNonNull(tenant),
                cloud.loginHost(), cloud.graphHost(), false);
    }

    /**
     * Endpoints whose login and Graph hosts are both {@code authorityHostOverride} (the simulator).
     * Only https URLs are accepted: MSAL and every real Entra endpoint are https.
     */
    public static EntraEndpoints withOverride(EntraCloud cloud, TenantSelector tenant, String authorityHostOverride) {
        String base = validateOverride(authorityHostOverride);
        return new EntraEndpoints(Objects.requireNonNull(cloud), Objects.requireNonNull(tenant), base, base, true);
    }

    /**
     * Checks an authority-host override and returns it without trailing slash.
     *
     * @throws IllegalArgumentException when it is not an absolute https URL without path, query or fragment
     */
    public static String validateOverride(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Authority host override is empty.");
        }
        String trimmed = value.trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        URI uri;
        try {
            uri = URI.create(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Authority host override '" + value + "' is not a URL.");
        }
        if (!"https".equals(Optional.ofNullable(uri.getScheme()).map(s -> s.toLowerCase(Locale.ROOT)).orElse(""))
                || uri.getHost() == null) {
            throw new IllegalArgumentException("Authority host override '" + value
                    + "' must be an https URL such as https://127.0.0.1:8443 (Entra and MSAL use https only).");
        }
        if ((uri.getRawPath() != null && !uri.getRawPath().isEmpty()) || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("Authority host override '" + value
                    + "' must be scheme, host and port only, without a path.");
        }
        return trimmed;
    }

    public EntraCloud cloud() {
        return cloud;
    }

    public TenantSelector tenant() {
        return tenant;
    }

    /** True when the hosts come from the simulator override rather than the cloud. */
    public boolean isOverridden() {
        return overridden;
    }

    /** MSAL authority, with trailing slash: {@code https://login.microsoftonline.com/<tenant>/}. */
    public String authority() {
        return loginBase + "/" + tenant.value() + "/";
    }

    /** MSAL authority of one specific tenant (app-only tokens always need one, also in multi-tenant mode). */
    public String authorityFor(String tenantIdOrDomain) {
        return loginBase + "/" + tenantIdOrDomain + "/";
    }

    public String authorizationEndpoint() {
        return loginBase + "/" + tenant.value() + "/oauth2/v2.0/authorize";
    }

    public String tokenEndpoint() {
        return loginBase + "/" + tenant.value() + "/oauth2/v2.0/token";
    }

    public String jwksUri() {
        return loginBase + "/" + tenant.value() + "/discovery/v2.0/keys";
    }

    public String logoutEndpoint() {
        return loginBase + "/" + tenant.value() + "/oauth2/v2.0/logout";
    }

    public String discoveryDocument() {
        return loginBase + "/" + tenant.value() + "/v2.0/.well-known/openid-configuration";
    }

    /** The v2.0 issuer template, {@code https://<login host>/{tenantid}/v2.0}. */
    public String issuerTemplate() {
        return loginBase + "/" + TENANT_ID_PLACEHOLDER + "/v2.0";
    }

    /** The issuer a v2.0 token of tenant {@code tenantId} must carry. */
    public String issuerFor(String tenantId) {
        String tid = TenantSelector.normalizeTenantId(tenantId)
                .orElseThrow(() -> new IllegalArgumentException("Not a tenant ID: " + tenantId));
        return loginBase + "/" + tid + "/v2.0";
    }

    /** Graph v1.0 base URL, without trailing slash. */
    public String graphBaseUrl() {
        return graphBase + "/v1.0";
    }

    /** The app-only scope for Graph: always the cloud's Graph resource, also under an override. */
    public String graphDefaultScope() {
        return cloud.graphDefaultScope();
    }

    @Override
    public String toString() {
        return "EntraEndpoints[" + cloud.id() + ", " + tenant + (overridden ? ", override " + loginBase : "") + "]";
    }
}
