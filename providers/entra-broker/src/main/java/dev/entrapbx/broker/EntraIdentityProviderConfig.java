package dev.entrapbx.broker;

import dev.entrapbx.core.AuthorityOverrideGate;
import dev.entrapbx.core.CredentialExpiry;
import dev.entrapbx.core.EntraApp;
import dev.entrapbx.core.EntraCertificate;
import dev.entrapbx.core.EntraCloud;
import dev.entrapbx.core.EntraEndpoints;
import dev.entrapbx.core.EntraIdpKeys;
import dev.entrapbx.core.TenantSelector;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.keycloak.broker.oidc.OIDCIdentityProviderConfig;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;

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
        return splitList(getConfig().get(ALLOWED_TENANTS)).stream()
                .map(t -> t.toLowerCase(Locale.ROOT))
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    public boolean isAllowAnyTenant() {
        return Boolean.parseBoolean(getConfig().get(ALLOW_ANY_TENANT));
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

    public int getCertificateValidityDays() {
        String v = getConfig().get(CERTIFICATE_VALIDITY_DAYS);
        return v == null || v.isBlank() ? (int) EntraCertificate.DEFAULT_VALIDITY.toDays() : Integer.parseInt(v.trim());
    }

    /** True when the client secret field holds a vault reference such as ${vault.entra_secret}. */
    public boolean isSecretVaultReference() {
        return app().isSecretVaultReference();
    }

    /** A fixed domain_hint; empty means: derive it from login_hint's domain, or send none. */
    public Optional<String> getDomainHint() {
        return Optional.ofNullable(getConfig().get(DOMAIN_HINT)).map(String::trim).filter(s -> !s.isEmpty());
    }

    /** Default on: without xms_edov, an email counts as proven when its domain is verified in the tenant (Graph /domains). */
    public boolean isVerifyEmailDomainViaGraph() {
        String v = getConfig().get(VERIFY_EMAIL_DOMAIN_VIA_GRAPH);
        return v == null || v.isBlank() || Boolean.parseBoolean(v);
    }

    public boolean isSelectAccount() {
        return Boolean.parseBoolean(getConfig().get(SELECT_ACCOUNT));
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
        if (getClientId() == null || getClientId().isBlank()) {
            throw new IllegalArgumentException("Client ID is required: the Application (client) ID of the Entra app registration.");
        }
        if (!TenantSelector.isTenantId(getClientId())) {
            throw new IllegalArgumentException("Client ID '" + getClientId().trim()
                    + "' is not a GUID: copy the Application (client) ID from the app registration's Overview page.");
        }
        getCloud(); // throws with the known clouds
        TenantSelector tenant = getTenant(); // throws with guidance
        Set<String> allowed = getAllowedTenants();
        for (String t : allowed) {
            if (!TenantSelector.isTenantId(t)) {
                throw new IllegalArgumentException("Allowed tenant '" + t
                        + "' is not a tenant ID GUID: list directory (tenant) IDs, not domain names.");
            }
        }
        if (tenant.isMultiTenant()) {
            if (allowed.isEmpty() && !isAllowAnyTenant()) {
                throw new IllegalArgumentException("Multi-tenant ('organizations') needs the allowed tenant IDs: list the customers' directory (tenant) IDs, "
                        + "or switch on 'Allow any tenant' deliberately.");
            }
        } else if (!allowed.isEmpty()) {
            throw new IllegalArgumentException("Allowed tenants only apply to multi-tenant mode: set Tenant to 'organizations' or clear the list.");
        }
        EntraApp.CredentialType credential = getCredentialType(); // throws for an unknown type
        if (credential == EntraApp.CredentialType.SECRET && (getClientSecret() == null || getClientSecret().isBlank())) {
            throw new IllegalArgumentException("Client secret is required with credential type 'secret': paste the secret's Value "
                    + "(not its Secret ID) or a vault reference such as ${vault.entra_secret}.");
        }
        if (credential == EntraApp.CredentialType.SECRET && getClientSecret().contains("-----BEGIN")) {
            throw new IllegalArgumentException("Client secret holds a private key (left from certificate mode): paste the secret's "
                    + "Value from the app registration.");
        }
        if (credential == EntraApp.CredentialType.CERTIFICATE) {
            prepareCertificate(realm);
        }
        try {
            getSecretExpiresOn();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("Secret expiry '" + getConfig().get(SECRET_EXPIRES_ON)
                    + "' is not a date: use YYYY-MM-DD as shown in the app registration's Certificates & secrets page.");
        }
        overrideGate.check(getAuthorityHostOverride());
        getDomainHint().ifPresent(d -> {
            if (TenantSelector.parse(d).kind() != TenantSelector.Kind.DOMAIN) {
                throw new IllegalArgumentException("Domain hint '" + d + "' must be a domain name such as contoso.com.");
            }
        });
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
        int days;
        try {
            days = getCertificateValidityDays();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Certificate validity must be a number of days, e.g. 365.");
        }
        if (days < 1 || days > 3 * 365) {
            throw new IllegalArgumentException("Certificate validity must be between 1 and 1095 days (Entra accepts up to 3 years); got " + days + ".");
        }
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

    private static Set<String> splitList(String value) {
        if (value == null || value.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(value.split("[,;\\s]+|##"))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }
}
