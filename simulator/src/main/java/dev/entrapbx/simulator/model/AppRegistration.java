package dev.entrapbx.simulator.model;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * An app registration: client id (appId), home tenant, audience, redirect URIs, credentials and the
 * application permissions of Microsoft Graph granted to it (admin consent assumed). Immutable; the
 * directory replaces it on change.
 */
public final class AppRegistration {
    private final String appId;
    private final String objectId;
    private final String tenantId;
    private final String displayName;
    private final SignInAudience signInAudience;
    private final List<String> redirectUris;
    private final List<ClientSecret> secrets;
    private final List<AppCertificate> certificates;
    private final Set<String> permissions;
    private final boolean publicClient;
    private final Instant createdDateTime;

    private AppRegistration(Builder b) {
        this.appId = Ids.orNew(b.appId, "appId");
        this.objectId = Ids.orNew(b.objectId, "application object id");
        this.tenantId = b.tenantId;
        if (b.displayName == null || b.displayName.isBlank()) {
            throw new IllegalArgumentException("App displayName is required");
        }
        this.displayName = b.displayName;
        this.signInAudience = b.signInAudience;
        b.redirectUris.forEach(AppRegistration::validateRedirectUri);
        this.redirectUris = List.copyOf(b.redirectUris);
        this.secrets = List.copyOf(b.secrets);
        this.certificates = List.copyOf(b.certificates);
        this.permissions = Set.copyOf(new TreeSet<>(b.permissions));
        this.publicClient = b.publicClient;
        this.createdDateTime = b.createdDateTime == null ? Instant.now() : b.createdDateTime;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.appId = appId;
        b.objectId = objectId;
        b.tenantId = tenantId;
        b.displayName = displayName;
        b.signInAudience = signInAudience;
        b.redirectUris.addAll(redirectUris);
        b.secrets.addAll(secrets);
        b.certificates.addAll(certificates);
        b.permissions.addAll(permissions);
        b.publicClient = publicClient;
        b.createdDateTime = createdDateTime;
        return b;
    }

    public String appId() { return appId; }
    public String objectId() { return objectId; }
    /** The home tenant. */
    public String tenantId() { return tenantId; }
    public String displayName() { return displayName; }
    public SignInAudience signInAudience() { return signInAudience; }
    public boolean isMultiTenant() { return signInAudience.isMultiTenant(); }
    public List<String> redirectUris() { return redirectUris; }
    public List<ClientSecret> secrets() { return secrets; }
    public List<AppCertificate> certificates() { return certificates; }
    /** Granted application permissions (app roles of Microsoft Graph), e.g. "User.Read.All". */
    public Set<String> permissions() { return new TreeSet<>(permissions); }
    public boolean hasPermission(String permission) { return permissions.contains(permission); }
    /** Public clients may redeem codes without a client credential (PKCE only). */
    public boolean publicClient() { return publicClient; }
    public Instant createdDateTime() { return createdDateTime; }

    /** Exact, case-sensitive match as Entra requires for redirect URIs. */
    public boolean hasRedirectUri(String uri) {
        return uri != null && redirectUris.contains(uri);
    }

    /** True when this app may be used against the given tenant (its home tenant, or any tenant if multi-tenant). */
    public boolean availableIn(String tenantId) {
        return this.tenantId.equals(tenantId) || isMultiTenant();
    }

    private static void validateRedirectUri(String uri) {
        try {
            URI u = URI.create(uri);
            if (u.getScheme() == null) {
                throw new IllegalArgumentException("Redirect URI must be absolute: " + uri);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid redirect URI '" + uri + "': " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return displayName + " (" + appId + ")";
    }

    /** Builder; {@link #tenantId} is set by the directory. */
    public static final class Builder {
        private String appId;
        private String objectId;
        private String tenantId;
        private String displayName;
        private SignInAudience signInAudience = SignInAudience.AzureADMyOrg;
        private final List<String> redirectUris = new ArrayList<>();
        private final List<ClientSecret> secrets = new ArrayList<>();
        private final List<AppCertificate> certificates = new ArrayList<>();
        private final Set<String> permissions = new LinkedHashSet<>();
        private boolean publicClient;
        private Instant createdDateTime;

        public Builder appId(String appId) { this.appId = appId; return this; }
        public Builder objectId(String objectId) { this.objectId = objectId; return this; }
        public Builder tenantId(String tenantId) { this.tenantId = tenantId; return this; }
        public Builder displayName(String displayName) { this.displayName = displayName; return this; }
        public Builder signInAudience(SignInAudience audience) { this.signInAudience = Objects.requireNonNull(audience); return this; }
        public Builder multiTenant() { return signInAudience(SignInAudience.AzureADMultipleOrgs); }
        public Builder singleTenant() { return signInAudience(SignInAudience.AzureADMyOrg); }
        public Builder redirectUri(String uri) { this.redirectUris.add(uri); return this; }
        public Builder redirectUris(Collection<String> uris) { this.redirectUris.addAll(uris); return this; }
        public Builder clearRedirectUris() { this.redirectUris.clear(); return this; }
        public Builder secret(ClientSecret secret) { this.secrets.add(secret); return this; }
        public Builder secret(String value, Instant endDateTime) { return secret(ClientSecret.of(value, endDateTime)); }
        public Builder removeSecret(String keyId) { this.secrets.removeIf(s -> s.keyId().equals(keyId)); return this; }
        public Builder certificate(AppCertificate certificate) { this.certificates.add(certificate); return this; }
        public Builder certificate(X509Certificate certificate) { return certificate(AppCertificate.of(certificate)); }
        public Builder certificatePem(String pem) { return certificate(AppCertificate.ofPem(pem)); }
        public Builder removeCertificate(String keyId) { this.certificates.removeIf(c -> c.keyId().equals(keyId)); return this; }
        public Builder permission(String permission) { this.permissions.add(Objects.requireNonNull(permission)); return this; }
        public Builder permissions(Collection<String> permissions) { permissions.forEach(this::permission); return this; }
        public Builder permissions(String... permissions) { return permissions(List.of(permissions)); }
        public Builder removePermissions(Collection<String> revoked) { this.permissions.removeAll(revoked); return this; }
        public Builder clearPermissions() { this.permissions.clear(); return this; }
        public Builder publicClient(boolean publicClient) { this.publicClient = publicClient; return this; }

        public AppRegistration build() {
            if (tenantId == null) {
                throw new IllegalStateException("tenantId not set");
            }
            return new AppRegistration(this);
        }
    }
}
