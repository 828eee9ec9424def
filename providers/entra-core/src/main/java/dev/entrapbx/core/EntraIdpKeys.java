package dev.entrapbx.core;

/**
 * Configuration keys of an {@code entra-id} identity provider that other modules read (the user
 * sync reuses an IdP's cloud, tenant and credential), so they live below both.
 */
public final class EntraIdpKeys {

    public static final String PROVIDER_ID = "entra-id";
    public static final String CLIENT_ID = "clientId";
    public static final String CLIENT_SECRET = "clientSecret";
    public static final String CLOUD = "entraCloud";
    public static final String TENANT = "entraTenant";
    /** Multi-tenant mode: the tenant ids allowed (commas, spaces or new lines between them). */
    public static final String ALLOWED_TENANTS = "entraAllowedTenants";
    public static final String AUTHORITY_HOST_OVERRIDE = "entraAuthorityHostOverride";
    public static final String CREDENTIAL_TYPE = "entraCredentialType";
    public static final String CERTIFICATE = "entraCertificate";

    private EntraIdpKeys() {
    }
}
