package dev.entrapbx.broker;

import dev.entrapbx.core.AuthorityOverrideGate;
import dev.entrapbx.core.CredentialExpiry;
import dev.entrapbx.core.EntraApp;
import dev.entrapbx.core.EntraCertificate;
import dev.entrapbx.core.EntraCloud;
import dev.entrapbx.core.EntraEndpoints;
import dev.entrapbx.core.EntraIdpKeys;
import dev.entrapbx.core.TenantSelector;
import dev.entrapbx.kc.Setting;
import dev.entrapbx.kc.Settings;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.keycloak.broker.oidc.OIDCIdentityProviderConfig;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.provider.ProviderConfigProperty;

/**
 * Typed, null-safe view of an {@code entra-id} identity provider's configuration. The admin
 * enters cloud, tenant, client id and credential; every endpoint is derived
 * ({@link #applyDerivedEndpoints()}), so nobody types an endpoint URL.
 *
 * <p>Keycloak's generic OIDC keys that would weaken the broker cannot be switched off by a stray
 * (imported, REST-written) value: signature validation, PKCE and the nonce are forced on, the
 * allowed clock skew is refused above {@value #MAX_CLOCK_SKEW_SECONDS} s at save and clamped at
 * sign-in, and an IdP that admits several tenants cannot serve an Organization.
 */
public class EntraIdentityProviderConfig extends OIDCIdentityProviderConfig {

    public static final String CLOUD = EntraIdpKeys.CLOUD;
    public static final String TENANT = EntraIdpKeys.TENANT;
    public static final String ALLOWED_TENANTS = EntraIdpKeys.ALLOWED_TENANTS;
    public static final String ALLOW_ANY_TENANT = "entraAllowAnyTenant";
    public static final String AUTHORITY_HOST_OVERRIDE = EntraIdpKeys.AUTHORITY_HOST_OVERRIDE;
    public static final String CREDENTIAL_TYPE = EntraIdpKeys.CREDENTIAL_TYPE;
    public static final String SECRET_EXPIRES_ON = EntraIdpKeys.SECRET_EXPIRES_ON;
    public static final String DOMAIN_HINT = "entraDomainHint";
    public static final String SELECT_ACCOUNT = "entraSelectAccount";
    public static final String VERIFY_EMAIL_DOMAIN_VIA_GRAPH = "entraVerifyEmailDomainViaGraph";
    public static final String CERTIFICATE = EntraIdpKeys.CERTIFICATE;
    public static final String CERTIFICATE_VALIDITY_DAYS = "entraCertificateValidityDays";

    // ---- the settings, declared once: the factory's property list, the getters, validate() and README's table ----

    public static final Setting<Optional<String>> CLIENT_ID_SETTING = Setting.text(EntraIdpKeys.CLIENT_ID).label("Client ID")
            .help("Application (client) ID of the Entra app registration.").builtIn()
            .required("Client ID is required: the Application (client) ID of the Entra app registration.")
            .validator(id -> id.filter(v -> !TenantSelector.isTenantId(v)).map(v -> "Client ID '" + v
                    + "' is not a GUID: copy the Application (client) ID from the app registration's Overview page."))
            .doc("Application (client) ID of the Entra app registration (a GUID).").build();

    public static final Setting<Optional<String>> CLIENT_SECRET_SETTING = Setting.text(EntraIdpKeys.CLIENT_SECRET).label("Client secret")
            .help("The secret's Value, or (certificate mode) the private key.").builtIn().secret()
            .required("Client secret is required with credential type 'secret': paste the secret's Value "
                    + "(not its Secret ID) or a vault reference such as ${vault.entra_secret}.")
            .when(v -> EntraIdentityProviderConfig.CREDENTIAL_TYPE_SETTING.get(v) == EntraApp.CredentialType.SECRET)
            .validator(s -> s.filter(v -> v.contains("-----BEGIN")).map(v -> "Client secret holds a private key (left from "
                    + "certificate mode): paste the secret's Value from the app registration."))
            .docDefault("required")
            .doc("Secret mode: the secret's *Value*, or a vault reference `${vault.entra_secret}`. Certificate mode: holds the "
                    + "private key (masked in the admin console, admin REST, partial exports and admin events, like every Keycloak "
                    + "secret; only an offline `kc.sh export` contains it); type `generate` on creation.").build();

    public static final Setting<EntraCloud> CLOUD_SETTING = Setting.of(EntraIdpKeys.CLOUD, ProviderConfigProperty.LIST_TYPE,
                    EntraCloud::parse, EntraCloud.GLOBAL)
            .label("Cloud").help("Microsoft cloud of the customer's tenant. Endpoints are derived from it. " + EntraCloud.optionHelp())
            .options(EntraCloud.ids()).defaultValue(EntraCloud.GLOBAL.id())
            .doc("`global`, `us-government` (L4), `us-government-dod` (L5), `china` (21Vianet).").build();

    public static final Setting<TenantSelector> TENANT_SETTING = Setting.of(EntraIdpKeys.TENANT, ProviderConfigProperty.STRING_TYPE,
                    TenantSelector::parse, null)
            .label("Tenant")
            .help("Directory (tenant) ID GUID or a verified domain of the customer's tenant; "
                    + "'organizations' for a multi-tenant app (then list the allowed tenant IDs).")
            .required(tenantRequired())
            .doc("Tenant ID GUID, a verified domain (`contoso.com`), or `organizations` (multi-tenant app). `common`/`consumers` "
                    + "are refused: they admit personal accounts.").build();

    public static final Setting<List<String>> ALLOWED_TENANTS_SETTING = EntraApp.ALLOWED_TENANTS;

    public static final Setting<Boolean> ALLOW_ANY_TENANT_SETTING = Setting.flag(ALLOW_ANY_TENANT, false).label("Allow any tenant")
            .help("Multi-tenant only: admit every Entra tenant. Leave off unless any company in the world may sign in. "
                    + "Refused for an identity provider linked to an Organization.")
            .doc("Multi-tenant only: admit every tenant, deliberately.").build();

    public static final Setting<EntraApp.CredentialType> CREDENTIAL_TYPE_SETTING = Setting.of(EntraIdpKeys.CREDENTIAL_TYPE,
                    ProviderConfigProperty.LIST_TYPE, EntraApp.CredentialType::parse, EntraApp.CredentialType.SECRET)
            .label("Credential type")
            .help("How Keycloak authenticates to Entra. 'secret': paste the secret's Value into Client secret. "
                    + "'certificate': leave Certificate empty and type 'generate' into Client secret; on save Keycloak creates "
                    + "a key pair, keeps the private key in the (masked) Client secret and shows the certificate to upload to Entra.")
            .options(Arrays.stream(EntraApp.CredentialType.values()).map(EntraApp.CredentialType::id).toList())
            .defaultValue(EntraApp.CredentialType.SECRET.id()).docDefault("`" + EntraApp.CredentialType.SECRET.id() + "`")
            .doc("`secret` or `certificate`.").build();

    public static final Setting<Optional<String>> CERTIFICATE_SETTING = Setting.text(EntraIdpKeys.CERTIFICATE)
            .type(ProviderConfigProperty.TEXT_TYPE).label("Certificate (upload to Entra)")
            .help("Certificate mode: the public certificate (PEM) to upload under Certificates & secrets > Certificates of the "
                    + "app registration. Generated on save when empty; clear it and save to generate a new key pair.")
            .docDefault("generated")
            .doc("Certificate mode: the public certificate (PEM) to upload to Entra. Clear it and save to generate a new key pair.").build();

    public static final Setting<Integer> CERTIFICATE_VALIDITY_DAYS_SETTING = Setting.of(CERTIFICATE_VALIDITY_DAYS,
                    ProviderConfigProperty.STRING_TYPE, EntraIdentityProviderConfig::validityDays, null)
            .label("Certificate validity (days)")
            .help("Validity of a generated certificate, 1 to 1095 days. Warnings start 30 days before it ends.")
            .defaultValue(String.valueOf(EntraCertificate.DEFAULT_VALIDITY.toDays()))
            .docDefault(String.valueOf(EntraCertificate.DEFAULT_VALIDITY.toDays()))
            .validator(days -> days >= 1 && days <= 3 * 365 ? Optional.empty() : Optional.of(
                    "Certificate validity must be between 1 and 1095 days (Entra accepts up to 3 years); got " + days + "."))
            .doc("1 to 1095 days for a generated certificate.").build();

    public static final Setting<Optional<LocalDate>> SECRET_EXPIRES_ON_SETTING = Setting.date(EntraIdpKeys.SECRET_EXPIRES_ON,
                    v -> "Secret expiry '" + v + "' is not a date: use YYYY-MM-DD as shown in the app registration's Certificates & secrets page.")
            .label("Client secret expires on")
            .help("Expiry date of the client secret (YYYY-MM-DD), as shown under Certificates & secrets.")
            .doc("`YYYY-MM-DD`; warnings start 30 days before, an expired secret stops sign-in with a clear page.").build();

    public static final Setting<Boolean> VERIFY_EMAIL_DOMAIN_VIA_GRAPH_SETTING = Setting.flag(VERIFY_EMAIL_DOMAIN_VIA_GRAPH, true)
            .label("Prove emails with the tenant's verified domains")
            .help("An existing account is linked automatically only when Entra proves the email: the xms_edov claim, or (when on) "
                    + "the email's domain is a verified domain of the user's tenant, read from Graph /domains. Needs the application "
                    + "permission Domain.Read.All. Otherwise the person confirms the link by signing in to the existing account.")
            .doc("Without an `xms_edov` claim, an email counts as proven when its domain is a verified domain of the user's tenant "
                    + "(Graph `/domains`, needs *Domain.Read.All*).").build();

    public static final Setting<Optional<String>> DOMAIN_HINT_SETTING = Setting.text(DOMAIN_HINT).label("Domain hint")
            .help("Sent as domain_hint to skip Microsoft's account picker. Empty: the domain of the user's login hint.")
            .validator(hint -> hint.filter(d -> TenantSelector.parse(d).kind() != TenantSelector.Kind.DOMAIN)
                    .map(d -> "Domain hint '" + d + "' must be a domain name such as contoso.com."))
            .docDefault("login hint's domain").doc("Sent as `domain_hint`; a client's own `domain_hint` is forwarded.").build();

    public static final Setting<Boolean> SELECT_ACCOUNT_SETTING = Setting.flag(SELECT_ACCOUNT, false)
            .label("Always show account picker")
            .help("Send prompt=select_account so users with several Microsoft accounts choose one.")
            .doc("Sends `prompt=select_account`.").build();

    public static final Setting<Optional<String>> AUTHORITY_HOST_OVERRIDE_SETTING = Setting.text(EntraIdpKeys.AUTHORITY_HOST_OVERRIDE)
            .label("Authority host override (simulator only)")
            .help("For the Entra simulator in development and tests only: replaces Microsoft's login and Graph hosts. "
                    + "Refused unless the server allows it.")
            .doc("**Simulator only.** Refused unless the server runs with "
                    + "`--spi-identity_provider--entra-id--allow-authority-override=true` (the harness does; production must not).").build();

    public static final Setting<Boolean> SHARED_REDIRECT_SETTING = Setting.flag(EntraIdpKeys.SHARED_REDIRECT, false)
            .label("Shared redirect URI")
            .help("On: Microsoft returns to the realm's one redirect URI, <realm URL>/entra-id/callback, which passes the answer on "
                    + "to this identity provider. A partner's multi-tenant app then needs that single redirect URI registered for all its "
                    + "customers (Entra allows at most 256 per app). Off: this provider's own redirect URI (shown above) must be registered.")
            .doc("On: Microsoft returns to `/realms/<realm>/entra-id/callback` (one redirect URI for every customer of a "
                    + "multi-tenant partner app; customer onboarding turns it on). Off: the per-provider broker endpoint.").build();

    /** Every setting: Keycloak's own Client ID and Client secret fields first, then ours in the console's order. */
    public static final List<Setting<?>> SETTINGS = List.of(CLIENT_ID_SETTING, CLIENT_SECRET_SETTING, CLOUD_SETTING, TENANT_SETTING,
            ALLOWED_TENANTS_SETTING, ALLOW_ANY_TENANT_SETTING, CREDENTIAL_TYPE_SETTING, CERTIFICATE_SETTING,
            CERTIFICATE_VALIDITY_DAYS_SETTING, SECRET_EXPIRES_ON_SETTING, VERIFY_EMAIL_DOMAIN_VIA_GRAPH_SETTING, DOMAIN_HINT_SETTING,
            SELECT_ACCOUNT_SETTING, SHARED_REDIRECT_SETTING, AUTHORITY_HOST_OVERRIDE_SETTING);

    /** The factory's property list (our fields; Client ID and secret are Keycloak's). */
    public static final List<ProviderConfigProperty> PROPERTIES = Settings.properties(SETTINGS);

    private static String tenantRequired() {
        try {
            TenantSelector.parse(null);
            return "Tenant is required.";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private static Integer validityDays(String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Certificate validity must be a number of days, e.g. 365.");
        }
    }

    /** This configuration's stored values, as the declarations read them. */
    private Setting.Values values() {
        return Setting.Values.of(getConfig());
    }

    /** Throws the setting's problem, if any. */
    private void check(Setting<?> setting) {
        setting.problem(values()).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
    }

    /** What Keycloak's admin REST sends back in place of a stored client secret. */
    static final String MASKED_SECRET = "**********";

    public static final String DEFAULT_SCOPE = "openid profile email";

    /** Keycloak's OIDC key for the tolerated clock difference, in seconds. */
    public static final String ALLOWED_CLOCK_SKEW = "allowedClockSkew";
    /**
     * The most clock skew accepted, in seconds. Microsoft's clocks are synchronised and a server's
     * should be too: a few minutes cover any honest drift, while a larger value would keep an
     * expired (or stolen, long-replayable) ID token valid that much longer.
     */
    public static final int MAX_CLOCK_SKEW_SECONDS = 300;

    /** Whether this server accepts an authority-host override (the simulator); not stored. */
    private final AuthorityOverrideGate overrideGate;

    public EntraIdentityProviderConfig() {
        this(false);
    }

    public EntraIdentityProviderConfig(boolean overrideAllowed) {
        this(gate(overrideAllowed));
    }

    public EntraIdentityProviderConfig(AuthorityOverrideGate overrideGate) {
        super();
        this.overrideGate = overrideGate;
    }

    public EntraIdentityProviderConfig(IdentityProviderModel model, boolean overrideAllowed) {
        this(model, gate(overrideAllowed));
    }

    public EntraIdentityProviderConfig(IdentityProviderModel model, AuthorityOverrideGate overrideGate) {
        super(model);
        this.overrideGate = overrideGate;
    }

    private static AuthorityOverrideGate gate(boolean allowed) {
        return new AuthorityOverrideGate(allowed, EntraIdentityProviderFactory.OVERRIDE_OPTION);
    }

    /**
     * The Entra app of this identity provider: cloud, tenant, client id, credential, expiry and
     * endpoints are read through it, as the user sync reads them (one model, {@link EntraApp}).
     */
    public EntraApp app() {
        return EntraApp.ofIdentityProvider(getAlias(), getConfig());
    }

    /** @throws IllegalArgumentException for an unknown cloud id (validate() refuses such configs) */
    public EntraCloud getCloud() {
        return app().cloud();
    }

    /** @throws IllegalArgumentException when the stored tenant is invalid (validate() refuses such configs) */
    public TenantSelector getTenant() {
        return app().tenant();
    }

    /** Normalised tenant ids allowed in multi-tenant mode (commas, spaces or new lines separate them). */
    public Set<String> getAllowedTenants() {
        return EntraApp.allowedTenants(getConfig());
    }

    public boolean isAllowAnyTenant() {
        return ALLOW_ANY_TENANT_SETTING.get(values());
    }

    public Optional<String> getAuthorityHostOverride() {
        return app().authorityHostOverride();
    }

    public EntraApp.CredentialType getCredentialType() {
        return app().credentialType();
    }

    public Optional<LocalDate> getSecretExpiresOn() {
        return app().secretExpiresOn();
    }

    /** When the configured credential stops working, when known (certificate: its notAfter). */
    public Optional<CredentialExpiry> credentialExpiry() {
        return app().credentialExpiry();
    }

    /** The certificate to upload to Entra (public, PEM), once generated or pasted. */
    public Optional<String> getCertificatePem() {
        return app().certificatePem();
    }

    /** @throws IllegalArgumentException when the stored value is not a number */
    public int getCertificateValidityDays() {
        return CERTIFICATE_VALIDITY_DAYS_SETTING.get(values());
    }

    /** True when the client secret field holds a vault reference such as ${vault.entra_secret}. */
    public boolean isSecretVaultReference() {
        return app().isSecretVaultReference();
    }

    /** A fixed domain_hint; empty means: derive it from login_hint's domain, or send none. */
    public Optional<String> getDomainHint() {
        return DOMAIN_HINT_SETTING.get(values());
    }

    /** Default on: without xms_edov, an email counts as proven when its domain is verified in the tenant (Graph /domains). */
    public boolean isVerifyEmailDomainViaGraph() {
        return VERIFY_EMAIL_DOMAIN_VIA_GRAPH_SETTING.get(values());
    }

    public boolean isSelectAccount() {
        return SELECT_ACCOUNT_SETTING.get(values());
    }

    /** Microsoft answers at the realm's shared redirect URI ({@link SharedCallback}), not this provider's own. */
    public boolean isSharedRedirect() {
        return SHARED_REDIRECT_SETTING.get(values());
    }

    /**
     * Always false: the nonce ties the ID token to the sign-in this browser started, so a token
     * captured elsewhere cannot be replayed. {@link #applyDerivedEndpoints()} also clears a stored
     * "Disable nonce" so the console shows the truth.
     */
    @Override
    public boolean isDisableNonce() {
        return false;
    }

    /**
     * Keycloak's value, clamped to 0..{@value #MAX_CLOCK_SKEW_SECONDS}: save refuses larger values,
     * and this keeps an older stored (or imported, or database-edited) value from stretching token
     * lifetimes at sign-in.
     */
    @Override
    public int getAllowedClockSkew() {
        return Math.max(0, Math.min(MAX_CLOCK_SKEW_SECONDS, super.getAllowedClockSkew()));
    }

    /**
     * Why this configuration must not serve an Organization, or empty when it may. A multi-tenant
     * IdP that admits several tenants (or any tenant) cannot belong to one customer: the users of
     * tenant B would sign in through customer A's IdP, become members of A and see A's directory.
     */
    public Optional<String> organizationTenantProblem() {
        if (getOrganizationId() == null || !getTenant().isMultiTenant()) {
            return Optional.empty();
        }
        if (!isAllowAnyTenant() && getAllowedTenants().size() <= 1) {
            return Optional.empty();
        }
        String admitted = isAllowAnyTenant() ? "any tenant ('Allow any tenant' is on)"
                : getAllowedTenants().size() + " tenants (" + String.join(", ", getAllowedTenants()) + ")";
        return Optional.of("Identity provider '" + getAlias() + "' is linked to an Organization but admits " + admitted
                + ": users of one customer's tenant would become members of another customer. Use one identity provider per "
                + "customer, restricted to that customer's single tenant (Tenant set to its tenant ID, or 'organizations' with "
                + "exactly one allowed tenant ID and 'Allow any tenant' off), or unlink this identity provider from the Organization.");
    }

    /** The endpoints of this configuration (cloud + tenant, or the simulator override). */
    public EntraEndpoints endpoints() {
        return app().endpoints(overrideGate);
    }

    /**
     * Writes the derived OIDC settings into the generic OIDC keys that Keycloak's broker reads.
     * Issuer stays empty on purpose: {@link EntraIdentityProvider} checks it against the v2.0
     * template with the token's own {@code tid}, which a fixed issuer cannot express.
     */
    public void applyDerivedEndpoints() {
        EntraEndpoints e = endpoints();
        setAuthorizationUrl(e.authorizationEndpoint());
        setTokenUrl(e.tokenEndpoint());
        setJwksUrl(e.jwksUri());
        setLogoutUrl(e.logoutEndpoint());
        setUseJwksUrl(true);
        setValidateSignature(true);
        setIssuer(null);
        getConfig().remove("issuer");
        setUserInfoUrl(null);
        getConfig().remove("userInfoUrl");
        setDisableUserInfoService(true); // everything we need is in the validated ID token
        setPkceEnabled(true);
        setPkceMethod("S256");
        setDisableNonce(false); // whatever was stored or imported: see isDisableNonce()
        setLoginHint(true);
        if (getDefaultScope() == null || getDefaultScope().isBlank()) {
            setDefaultScope(DEFAULT_SCOPE);
        }
        if (getCredentialType() == EntraApp.CredentialType.SECRET && (getClientAuthMethod() == null
                || !OIDCLoginProtocol.CLIENT_SECRET_BASIC.equals(getClientAuthMethod()))) {
            setClientAuthMethod(OIDCLoginProtocol.CLIENT_SECRET_POST);
        }
        if (isSelectAccount()) {
            setPrompt("select_account");
        } else if ("select_account".equals(getPrompt())) {
            setPrompt(null);
            getConfig().remove("prompt");
        }
    }

    /**
     * Refuses an unusable configuration at save time (admin console, admin REST, realm import)
     * with a message that says what to fix, then stores the derived endpoints.
     */
    @Override
    public void validate(RealmModel realm) {
        check(CLIENT_ID_SETTING);
        check(CLOUD_SETTING);
        check(TENANT_SETTING);
        TenantSelector tenant = getTenant();
        check(ALLOWED_TENANTS_SETTING);
        Set<String> allowed = getAllowedTenants();
        if (tenant.isMultiTenant()) {
            if (allowed.isEmpty() && !isAllowAnyTenant()) {
                throw new IllegalArgumentException("Multi-tenant ('organizations') needs the allowed tenant IDs: list the customers' directory (tenant) IDs, "
                        + "or switch on 'Allow any tenant' deliberately.");
            }
        } else if (!allowed.isEmpty()) {
            throw new IllegalArgumentException("Allowed tenants only apply to multi-tenant mode: set Tenant to 'organizations' or clear the list.");
        }
        check(CREDENTIAL_TYPE_SETTING);
        check(CLIENT_SECRET_SETTING); // required, and no private key, with credential type 'secret'
        if (getCredentialType() == EntraApp.CredentialType.CERTIFICATE) {
            prepareCertificate(realm);
        }
        check(SECRET_EXPIRES_ON_SETTING);
        overrideGate.check(getAuthorityHostOverride());
        check(DOMAIN_HINT_SETTING);
        validateClockSkew();
        organizationTenantProblem().ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        applyDerivedEndpoints();
        super.validate(realm);
    }

    private void validateClockSkew() {
        String v = getConfig().get(ALLOWED_CLOCK_SKEW);
        if (v == null || v.isBlank()) {
            return;
        }
        int seconds;
        try {
            seconds = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Allowed clock skew '" + v + "' is not a number of seconds: use 0 to "
                    + MAX_CLOCK_SKEW_SECONDS + ", or leave it empty.");
        }
        if (seconds < 0 || seconds > MAX_CLOCK_SKEW_SECONDS) {
            throw new IllegalArgumentException("Allowed clock skew must be between 0 and " + MAX_CLOCK_SKEW_SECONDS
                    + " seconds (got " + seconds + "): a larger value keeps expired Microsoft tokens valid for longer. "
                    + "Fix the server's clock (NTP) instead, and set at most " + MAX_CLOCK_SKEW_SECONDS + ".");
        }
    }

    /**
     * Certificate mode: with no certificate yet, Keycloak generates the key pair and a self-signed
     * certificate; the private key goes into the client secret slot, which Keycloak masks in every
     * admin response and export (and which may hold a vault reference instead). With a certificate,
     * a pasted private key must belong to it.
     */
    private void prepareCertificate(RealmModel realm) {
        check(CERTIFICATE_VALIDITY_DAYS_SETTING);
        int days = getCertificateValidityDays();
        String secret = getClientSecret() == null ? "" : getClientSecret().trim();
        Optional<String> pem = getCertificatePem();
        if (pem.isEmpty()) {
            if (isSecretVaultReference()) {
                throw new IllegalArgumentException("The private key comes from the vault (" + secret
                        + "): paste the matching certificate (PEM) into 'Certificate'.");
            }
            EntraCertificate generated = EntraCertificate.generate(
                    "CN=entra-pbx " + (realm.getName() == null ? "" : realm.getName()) + "/" + getAlias(),
                    Duration.ofDays(days), Instant.now());
            getConfig().put(CERTIFICATE, generated.certificatePem());
            setClientSecret(generated.privateKeyPem());
        } else {
            try {
                EntraCertificate.parseCertificate(pem.get());
                if (!secret.isEmpty() && !secret.equals(MASKED_SECRET) && !isSecretVaultReference()) {
                    EntraCertificate.fromPem(pem.get(), secret);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Certificate: " + e.getMessage()
                        + " Clear 'Certificate' and save to generate a new key pair, then upload the new certificate to Entra.");
            }
        }
        setClientAuthMethod(OIDCLoginProtocol.PRIVATE_KEY_JWT);
    }
}
