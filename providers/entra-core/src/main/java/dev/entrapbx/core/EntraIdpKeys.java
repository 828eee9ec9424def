package dev.entrapbx.core;

/**
 * Configuration keys of an Entra app connection ({@link EntraApp}): an {@code entra-id} identity
 * provider stores them, and so does a component with its own connection settings (the user sync
 * with 'Use the identity provider's credentials' off), under the same names.
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
    /** Microsoft returns to the realm's one shared redirect URI ({@code /realms/<realm>/entra-id/callback}) instead of the per-alias one. */
    public static final String SHARED_REDIRECT = "entraSharedRedirect";
    /** Marks an identity provider created by customer onboarding from the partner app (its credentials follow the partner app's). */
    public static final String FROM_PARTNER_APP = "entraFromPartnerApp";
    /** The client secret's expiry date (YYYY-MM-DD), as the app registration shows it. */
    public static final String SECRET_EXPIRES_ON = "entraSecretExpiresOn";

    /** The user sync component ({@code entra-users}), which may hold its own connection settings. */
    public static final String USER_SYNC_PROVIDER_ID = "entra-users";
    /** A component's switch: on (default) it takes the app from an identity provider, off it names its own. */
    public static final String REUSE_IDP_CREDENTIALS = "reuseIdpCredentials";

    private EntraIdpKeys() {
    }
}
