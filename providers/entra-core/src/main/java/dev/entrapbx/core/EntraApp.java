package dev.entrapbx.core;

import dev.entrapbx.kc.Setting;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;

/**
 * One Entra app registration as Keycloak talks to it: cloud, tenant, client id, the credential
 * (client secret or certificate with its private key, either possibly a vault reference), when that
 * credential expires, and the endpoints (with the simulator override behind
 * {@link AuthorityOverrideGate}). Built in one call from an {@code entra-id} identity provider
 * ({@link #of(IdentityProviderModel)}) or from a component that has its own connection settings
 * ({@link #ownSettings(ComponentModel)}); both store them under the keys of {@link EntraIdpKeys}.
 * The broker's typed IdP config, the user sync and the capabilities to come all read the app
 * through this class, so each setting is parsed in one place.
 *
 * <p>Values are parsed when asked for, so a validator can report each problem with its own
 * message. Holds the secret; {@link #toString()} never prints it.
 */
public final class EntraApp {

    /**
     * Multi-tenant mode: the tenant ids allowed, declared once for the broker's console, its
     * sign-in check and the sync's adoption rule (stored "##"-joined by the console; commas,
     * semicolons, spaces or new lines also separate them).
     */
    public static final Setting<List<String>> ALLOWED_TENANTS = Setting.list(EntraIdpKeys.ALLOWED_TENANTS, "[,;\\s]+")
            .label("Allowed tenant IDs")
            .help("Multi-tenant only: the directory (tenant) IDs whose users may sign in. A token of any other tenant is refused. "
                    + "An identity provider linked to an Organization may list one tenant only (one identity provider per customer).")
            .validator(ts -> ts.stream().map(t -> t.toLowerCase(Locale.ROOT)).filter(t -> !TenantSelector.isTenantId(t)).findFirst()
                    .map(t -> "Allowed tenant '" + t
                    + "' is not a tenant ID GUID: list directory (tenant) IDs, not domain names."))
            .doc("Multi-tenant only, required there: the tenant IDs whose users may sign in.").build();

    /** The allowed tenant ids of an identity provider's config, lower case, in their order. */
    public static Set<String> allowedTenants(Map<String, String> idpConfig) {
        return ALLOWED_TENANTS.get(Setting.Values.of(idpConfig)).stream().map(t -> t.toLowerCase(Locale.ROOT))
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** How the app authenticates to Entra. */
    public enum CredentialType {
        SECRET, CERTIFICATE;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Blank means {@link #SECRET}. @throws IllegalArgumentException for anything but 'secret' or 'certificate' */
        public static CredentialType parse(String value) {
            if (value == null || value.isBlank()) {
                return SECRET;
            }
            return Arrays.stream(values()).filter(c -> c.id().equalsIgnoreCase(value.trim())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("Unknown credential type '" + value
                            + "': use 'secret' or 'certificate'."));
        }
    }

    private final String source;
    private final Function<String, String> settings;

    private EntraApp(String source, Function<String, String> settings) {
        this.source = source;
        this.settings = settings;
    }

    /** The app of an {@code entra-id} identity provider. */
    public static EntraApp of(IdentityProviderModel idp) {
        return ofIdentityProvider(idp.getAlias(), idp.getConfig());
    }

    /** The app of an {@code entra-id} identity provider's configuration map (read live: later changes are seen). */
    public static EntraApp ofIdentityProvider(String alias, Map<String, String> config) {
        Map<String, String> c = config == null ? Map.of() : config;
        return new EntraApp("identity provider '" + alias + "'", c::get);
    }

    /**
     * The app a component names in its own settings (the user sync with 'Use the identity provider's
     * credentials' off), or empty when it takes the app from an identity provider instead. A
     * component's own credential is a client secret.
     */
    public static Optional<EntraApp> ownSettings(ComponentModel component) {
        String reuse = component.get(EntraIdpKeys.REUSE_IDP_CREDENTIALS);
        if (reuse == null || reuse.isBlank() || Boolean.parseBoolean(reuse.trim())) {
            return Optional.empty();
        }
        return Optional.of(new EntraApp("component '" + component.getName() + "'", key ->
                EntraIdpKeys.CREDENTIAL_TYPE.equals(key) || EntraIdpKeys.CERTIFICATE.equals(key) ? null : component.get(key)));
    }

    /**
     * The app of settings stored under the {@link EntraIdpKeys} names and read through {@code settings}
     * (null for a key that is not set); {@code source} names them in messages.
     */
    public static EntraApp ofSettings(String source, Function<String, String> settings) {
        return new EntraApp(source, settings);
    }

    /** The same app for another tenant (a multi-tenant IdP's app, used for one customer's tenant). */
    public EntraApp withTenant(String tenant) {
        return new EntraApp(source, key -> EntraIdpKeys.TENANT.equals(key) ? tenant : settings.apply(key));
    }

    /** Where the settings come from, for messages: "identity provider 'x'" or "component 'y'". */
    public String source() {
        return source;
    }

    private Optional<String> value(String key) {
        return Optional.ofNullable(settings.apply(key)).map(String::trim).filter(s -> !s.isEmpty());
    }

    /** @throws IllegalArgumentException for an unknown cloud id (blank means global) */
    public EntraCloud cloud() {
        return EntraCloud.parse(value(EntraIdpKeys.CLOUD).orElse(null));
    }

    /** The stored cloud id, as typed (validators name it). */
    public Optional<String> cloudId() {
        return value(EntraIdpKeys.CLOUD);
    }

    /** @throws IllegalArgumentException when the tenant is missing or invalid, with guidance */
    public TenantSelector tenant() {
        return TenantSelector.parse(settings.apply(EntraIdpKeys.TENANT));
    }

    /** The tenant as stored, when set. */
    public Optional<String> tenantValue() {
        return value(EntraIdpKeys.TENANT);
    }

    public Optional<String> clientId() {
        return value(EntraIdpKeys.CLIENT_ID);
    }

    /** @throws IllegalArgumentException for an unknown type */
    public CredentialType credentialType() {
        return CredentialType.parse(settings.apply(EntraIdpKeys.CREDENTIAL_TYPE));
    }

    /** The client secret, or (certificate mode) the private key PEM, or a vault reference to either; never log it. */
    public Optional<String> secret() {
        return value(EntraIdpKeys.CLIENT_SECRET);
    }

    /** True when the secret field holds a vault reference such as ${vault.entra_secret}. */
    public boolean isSecretVaultReference() {
        return VaultSecrets.isReference(settings.apply(EntraIdpKeys.CLIENT_SECRET));
    }

    /** The certificate (public, PEM) of certificate mode, once generated or pasted. */
    public Optional<String> certificatePem() {
        return value(EntraIdpKeys.CERTIFICATE);
    }

    /** The client secret's expiry date as the admin typed it. @throws java.time.format.DateTimeParseException when it is no YYYY-MM-DD date */
    public Optional<LocalDate> secretExpiresOn() {
        return value(EntraIdpKeys.SECRET_EXPIRES_ON).map(LocalDate::parse);
    }

    /**
     * When the credential stops working, when known: a certificate's notAfter, a secret's typed
     * expiry date.
     *
     * @throws RuntimeException when the certificate or the date does not parse
     */
    public Optional<CredentialExpiry> credentialExpiry() {
        if (credentialType() == CredentialType.CERTIFICATE) {
            return certificatePem().map(pem -> new CredentialExpiry(EntraCertificate.parseCertificate(pem).getNotAfter().toInstant()));
        }
        return secretExpiresOn().map(CredentialExpiry::onDate);
    }

    public Optional<String> authorityHostOverride() {
        return value(EntraIdpKeys.AUTHORITY_HOST_OVERRIDE);
    }

    /**
     * Cloud and tenant endpoints, or the simulator's when an override is set and {@code gate} allows it.
     *
     * @throws IllegalArgumentException when the cloud, the tenant or the override is refused
     */
    public EntraEndpoints endpoints(AuthorityOverrideGate gate) {
        Optional<String> override = gate.check(authorityHostOverride());
        EntraCloud cloud = cloud();
        TenantSelector tenant = tenant();
        return override.map(o -> EntraEndpoints.withOverride(cloud, tenant, o)).orElseGet(() -> EntraEndpoints.of(cloud, tenant));
    }

    /**
     * The credential for app-only tokens, with a vault reference resolved in {@code session}.
     *
     * @throws IllegalArgumentException when client id or credential is missing, the vault has no such
     *         entry, or a certificate's private key does not parse or belong to it
     */
    public AppTokens.Credential credential(KeycloakSession session) {
        String clientId = clientId().orElseThrow(() -> new IllegalArgumentException("The " + source + " has no client ID."));
        String raw = secret().orElseThrow(() -> new IllegalArgumentException("The " + source + " has no client credential."));
        return credential(clientId, VaultSecrets.resolve(session, raw));
    }

    /**
     * The credential from a secret (or private key) already resolved.
     *
     * @throws IllegalArgumentException when a certificate or its private key does not parse or match
     */
    public AppTokens.Credential credential(String clientId, String resolvedSecret) {
        Objects.requireNonNull(resolvedSecret);
        return credentialType() == CredentialType.CERTIFICATE
                ? AppTokens.Credential.certificate(clientId.trim(), EntraCertificate.fromPem(certificatePem().orElse(""), resolvedSecret))
                : AppTokens.Credential.secret(clientId.trim(), resolvedSecret);
    }

    @Override
    public String toString() {
        return "EntraApp[" + source + ", client " + clientId().orElse("?") + ", tenant " + tenantValue().orElse("?") + "]";
    }
}
