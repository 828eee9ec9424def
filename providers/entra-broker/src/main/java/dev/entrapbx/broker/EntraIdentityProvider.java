package dev.entrapbx.broker;

import dev.entrapbx.core.AppTokens;
import dev.entrapbx.core.CredentialExpiry;
import dev.entrapbx.core.EntraApp;
import dev.entrapbx.core.EntraCertificate;
import dev.entrapbx.core.EntraEndpoints;
import dev.entrapbx.core.EntraException;
import dev.entrapbx.core.TenantSelector;
import dev.entrapbx.core.VaultSecrets;
import dev.entrapbx.graph.VerifiedDomains;
import dev.entrapbx.kc.EmailAddresses;
import dev.entrapbx.kc.Meters;
import dev.entrapbx.kc.Organizations;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.keycloak.OAuth2Constants;
import org.keycloak.broker.oidc.OIDCIdentityProvider;
import org.keycloak.broker.oidc.OIDCIdentityProviderFactory;
import org.keycloak.broker.provider.AuthenticationRequest;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.broker.provider.IdentityBrokerException;
import org.keycloak.broker.provider.IdentityProviderMapper;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.http.simple.SimpleHttpRequest;
import org.keycloak.models.FederatedIdentityModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.representations.JsonWebToken;
import org.keycloak.services.ErrorPageException;
import org.keycloak.services.ErrorResponseException;
import org.keycloak.services.resources.IdentityBrokerService;

/**
 * Keycloak's OIDC broker specialised for Microsoft Entra ID v2.0:
 * <ul>
 *   <li>endpoints derived from cloud + tenant;</li>
 *   <li>issuer checked against the v2.0 template with the token's own {@code tid}, and the tenant
 *       checked against the configured tenant or allow-list (Keycloak's built-in {@code microsoft}
 *       provider admits any tenant);</li>
 *   <li>the brokered id is the Entra object id {@code oid}, not the pairwise {@code sub};</li>
 *   <li>an existing local user is linked automatically only when Entra proves the email for the
 *       tenant ({@code xms_edov}); never on the bare, mutable {@code email} claim ("nOAuth");</li>
 *   <li>an IdP linked to an Organization admits one tenant only, checked at every sign-in;</li>
 *   <li>{@code login_hint} and {@code domain_hint} forwarded.</li>
 * </ul>
 */
public class EntraIdentityProvider extends OIDCIdentityProvider {

    private static final Logger LOG = Logger.getLogger(EntraIdentityProvider.class);

    /** Context data / session note keys. */
    public static final String TENANT_ID = "entra.tid";
    public static final String EMAIL_VERIFIED_FOR_TENANT = "entra.email_verified_for_tenant";
    private static final String XMS_EDOV = "entra.xms_edov";

    public static final String MSG_TENANT_NOT_ALLOWED = "entraTenantNotAllowedMessage";
    public static final String MSG_INVALID_TOKEN = "entraInvalidTokenMessage";
    public static final String MSG_CREDENTIAL_EXPIRED = "entraCredentialExpiredMessage";
    public static final String MSG_CREDENTIAL_INVALID = "entraCredentialInvalidMessage";

    private static final String CLIENT_REQUEST_PARAM_PREFIX = "client_request_param_";

    private final TenantIdResolver tenantIdResolver;
    private final VerifiedDomains verifiedDomains;
    private EventBuilder event;

    public EntraIdentityProvider(KeycloakSession session, EntraIdentityProviderConfig config, TenantIdResolver tenantIdResolver,
                                 VerifiedDomains verifiedDomains) {
        super(session, derived(config));
        this.tenantIdResolver = tenantIdResolver;
        this.verifiedDomains = verifiedDomains;
    }

    private static EntraIdentityProviderConfig derived(EntraIdentityProviderConfig config) {
        config.applyDerivedEndpoints();
        return config;
    }

    @Override
    public EntraIdentityProviderConfig getConfig() {
        return (EntraIdentityProviderConfig) super.getConfig();
    }

    @Override
    public Object callback(RealmModel realm, AuthenticationCallback callback, EventBuilder event) {
        this.event = event; // refusals add their reason to the IDENTITY_PROVIDER_LOGIN_ERROR event
        return super.callback(realm, callback, event);
    }

    @Override
    protected UriBuilder createAuthorizationUrl(AuthenticationRequest request) {
        UriBuilder uri = super.createAuthorizationUrl(request);
        domainHint(request).ifPresent(d -> uri.replaceQueryParam("domain_hint", d));
        if (getConfig().isSharedRedirect()) {
            // one redirect URI for every customer of a multi-tenant app; the state names this provider
            uri.replaceQueryParam(OAuth2Constants.REDIRECT_URI, SharedCallback.uri(session, request.getRealm()));
            uri.replaceQueryParam(OAuth2Constants.STATE, SharedCallback.state(getConfig().getAlias(), request.getState().getEncoded()));
        }
        return uri;
    }

    private Optional<String> domainHint(AuthenticationRequest request) {
        Optional<String> fixed = getConfig().getDomainHint();
        if (fixed.isPresent()) {
            return fixed;
        }
        var authSession = request.getAuthenticationSession();
        String fromClient = authSession.getClientNote(CLIENT_REQUEST_PARAM_PREFIX + "domain_hint");
        if (fromClient != null && !fromClient.isBlank()) {
            return Optional.of(fromClient.trim());
        }
        return EmailAddresses.domainOf(authSession.getClientNote(OIDCLoginProtocol.LOGIN_HINT_PARAM));
    }

    /**
     * Before the code is exchanged: an expired credential gives a clear page (and a reason in the
     * event) instead of Entra's AADSTS7000222 surfacing as a generic broker failure.
     */
    @Override
    public SimpleHttpRequest authenticateTokenRequest(SimpleHttpRequest tokenRequest) {
        EntraIdentityProviderConfig c = getConfig();
        c.credentialExpiry()
                .filter(e -> e.state(Instant.now()) == CredentialExpiry.State.EXPIRED)
                .ifPresent(e -> {
                    throw refuse("credential_expired", "the client credential expired at " + e.expiresAt()
                            + "; sign-in is impossible until it is renewed", MSG_CREDENTIAL_EXPIRED);
                });
        if (c.isSharedRedirect()) {
            // the code was issued for the shared redirect URI: the exchange must name the same one
            tokenRequest.param(OAuth2Constants.REDIRECT_URI, SharedCallback.uri(session, session.getContext().getRealm()));
        }
        String secret = resolvedSecret();
        if (c.getCredentialType() == EntraApp.CredentialType.SECRET) {
            if (secret.contains("-----BEGIN")) {
                throw refuse("credential_invalid", "the client secret holds a private key (left over from certificate mode?)",
                        MSG_CREDENTIAL_INVALID);
            }
            return super.authenticateTokenRequest(tokenRequest);
        }
        EntraCertificate certificate = configuredCertificate(secret);
        return tokenRequest
                .param(OAuth2Constants.CLIENT_ASSERTION_TYPE, OAuth2Constants.CLIENT_ASSERTION_TYPE_JWT)
                .param(OAuth2Constants.CLIENT_ASSERTION, certificate.clientAssertion(c.getClientId(), c.getTokenUrl(), Instant.now()))
                .param(OAuth2Constants.CLIENT_ID, c.getClientId());
    }

    /** Certificate mode: the configured certificate with its (resolved) private key, or a refusal. */
    private EntraCertificate configuredCertificate(String privateKeyPem) {
        try {
            return EntraCertificate.fromPem(getConfig().getCertificatePem().orElse(""), privateKeyPem);
        } catch (IllegalArgumentException e) {
            throw refuse("credential_invalid", "certificate credential unusable: " + e.getMessage(), MSG_CREDENTIAL_INVALID);
        }
    }

    /**
     * The client secret (or, in certificate mode, the private key) with a vault reference resolved.
     * A reference to a missing vault entry is refused here; Keycloak would otherwise send the literal
     * "${vault.x}" to Entra and fail with a generic error.
     */
    private String resolvedSecret() {
        String raw = getConfig().getClientSecret();
        if (raw == null) {
            return null;
        }
        try {
            return VaultSecrets.resolve(session, raw);
        } catch (IllegalArgumentException e) {
            throw refuse("credential_invalid", "vault entry " + raw.trim() + " not found", MSG_CREDENTIAL_INVALID);
        }
    }

    /** Keycloak's OIDC mappers (claim to attribute, hardcoded role, ...) work for Entra too. */
    @Override
    public boolean isMapperSupported(IdentityProviderMapper mapper) {
        List<String> compatible = Arrays.asList(mapper.getCompatibleProviders());
        return super.isMapperSupported(mapper) || compatible.contains(OIDCIdentityProviderFactory.PROVIDER_ID);
    }

    @Override
    protected JsonWebToken validateToken(String encodedToken, boolean ignoreAudience) {
        refuseIfOrganizationAdmitsSeveralTenants();
        JsonWebToken token;
        try {
            token = super.validateToken(encodedToken, ignoreAudience); // signature, exp/nbf, aud, azp
        } catch (IdentityBrokerException e) {
            if (e.getMessageCode() != null) {
                throw e;
            }
            // Keycloak's own checks (signature, expiry, audience) fail without a message for the user
            throw refuse("invalid_token", e.getMessage(), MSG_INVALID_TOKEN);
        }
        Object tid = token.getOtherClaims().get("tid");
        Optional<TenantPolicy.Rejection> rejection = token.getExp() == null
                ? Optional.of(new TenantPolicy.Rejection(TenantPolicy.Reason.MISSING_EXP, "token has no exp claim"))
                : tenantPolicy().check(token.getIssuer(), tid);
        rejection.ifPresent(r -> {
            if (event != null) {
                event.detail("entra_tid", String.valueOf(tid));
            }
            throw refuse(r.reason().code, r.detail(),
                    r.reason() == TenantPolicy.Reason.TENANT_NOT_ALLOWED ? MSG_TENANT_NOT_ALLOWED : MSG_INVALID_TOKEN);
        });
        return token;
    }

    /**
     * An IdP linked to an Organization must admit a single tenant, or tenant B's users would join
     * customer A. Saving the IdP refuses such settings, but linking an existing IdP through the
     * Organizations API ({@code POST /organizations/{id}/identity-providers}) stores it without
     * validation, so every sign-in checks again, before any user is created, linked or joins the
     * organization.
     */
    void refuseIfOrganizationAdmitsSeveralTenants() {
        getConfig().organizationTenantProblem().ifPresent(problem -> {
            throw refuse("organization_multi_tenant", problem, MSG_TENANT_NOT_ALLOWED);
        });
    }

    /** A refusal: reason in the event, one warning line in the log (no stack trace), a message for the user. */
    private IdentityBrokerException refuse(String reason, String detail, String userMessage) {
        recordRefusal(reason, detail);
        return new IdentityBrokerException("Entra sign-in refused (" + reason + "): " + detail).withMessageCode(userMessage);
    }

    private void recordRefusal(String reason, String detail) {
        if (event != null) {
            event.detail(Details.REASON, reason);
        }
        LOG.warnf("Entra IdP '%s' refused a sign-in (%s): %s", getConfig().getAlias(), reason, detail);
        try {
            RealmModel realm = session.getContext().getRealm();
            Meters.brokerRefused(realm == null ? null : realm.getName(),
                    realm == null ? null : Organizations.aliasOf(session, realm, getConfig().getOrganizationId()), reason);
        } catch (RuntimeException e) {
            LOG.debugf(e, "The refusal of Entra IdP '%s' was not counted", getConfig().getAlias());
        }
    }

    private TenantPolicy tenantPolicy() {
        EntraIdentityProviderConfig c = getConfig();
        EntraEndpoints endpoints = c.endpoints();
        TenantSelector tenant = endpoints.tenant();
        String expected = switch (tenant.kind()) {
            case ORGANIZATIONS -> null;
            case TENANT_ID -> tenant.value();
            case DOMAIN -> {
                try {
                    yield tenantIdResolver.resolve(session, endpoints);
                } catch (IdentityBrokerException e) {
                    throw refuse("tenant_resolution_failed", e.getMessage(), MSG_INVALID_TOKEN);
                }
            }
        };
        return new TenantPolicy(endpoints, expected, c.getAllowedTenants(), c.isAllowAnyTenant());
    }

    @Override
    public BrokeredIdentityContext getFederatedIdentity(String response) {
        BrokeredIdentityContext identity = super.getFederatedIdentity(response);
        JsonWebToken idToken = (JsonWebToken) identity.getContextData().get(VALIDATED_ID_TOKEN);
        String oid = idToken.getOtherClaims().get("oid") instanceof String s ? s : null;
        if (!TenantSelector.isTenantId(oid)) { // object ids are GUIDs too
            throw refuse("oid_missing", "ID token has no oid claim", MSG_INVALID_TOKEN);
        }
        String tid = TenantSelector.normalizeTenantId((String) idToken.getOtherClaims().get("tid")).orElseThrow();
        identity.setId(oid.toLowerCase());
        identity.setBrokerUserId(getConfig().getAlias() + "." + identity.getId());
        identity.getContextData().put(TENANT_ID, tid);
        identity.setSessionNote(TENANT_ID, tid);
        identity.getContextData().put(XMS_EDOV, Boolean.toString(
                Boolean.parseBoolean(String.valueOf(idToken.getOtherClaims().get("xms_edov")))));
        return identity;
    }

    /**
     * Whether Entra proves the email for the user's tenant: the {@code xms_edov} claim, else the
     * email's domain among the tenant's verified domains (Graph). A failed Graph call is reported
     * (event detail, warning) and counts as not proven: the person then confirms the link instead.
     */
    private boolean emailProvenForTenant(BrokeredIdentityContext context) {
        Optional<String> domain = EmailAddresses.domainOf(context.getEmail());
        String tid = String.valueOf(context.getContextData().get(TENANT_ID));
        if (domain.isEmpty()) {
            return false;
        }
        if (Boolean.parseBoolean(String.valueOf(context.getContextData().get(XMS_EDOV)))) {
            return true;
        }
        if (!getConfig().isVerifyEmailDomainViaGraph()) {
            return false;
        }
        try {
            return verifiedDomains.of(session, getConfig().endpoints(), tid, appCredential()).contains(domain.get());
        } catch (EntraException e) {
            LOG.warnf("Entra IdP '%s': could not check the verified domains of tenant %s, so the email of %s is not trusted for "
                    + "automatic linking: %s", getConfig().getAlias(), tid, context.getId(), e.getMessage());
            if (event != null) {
                event.detail("entra_domain_check", "failed: " + (e.code() != null ? e.code() : e.status()));
            }
            return false;
        }
    }

    /** The configured credential for app-only Graph tokens. */
    private AppTokens.Credential appCredential() {
        EntraIdentityProviderConfig c = getConfig();
        String secret = resolvedSecret();
        return c.getCredentialType() == EntraApp.CredentialType.CERTIFICATE
                ? AppTokens.Credential.certificate(c.getClientId(), configuredCertificate(secret))
                : AppTokens.Credential.secret(c.getClientId(), secret);
    }

    /**
     * Before Keycloak looks up the federated link: decides whether Entra proves the email (only for
     * people not linked yet, so a Graph check never slows down a returning user), and links an
     * existing local user automatically when it is safe: the email is proven for the tenant, the
     * local email is verified, the account is enabled, not a service account, not linked to this or
     * another Entra IdP, and a member of this IdP's organization (or of none; it then joins it).
     * Otherwise Keycloak's first-broker-login flow decides (it asks the person to prove they own the
     * existing account).
     */
    @Override
    public void preprocessFederatedIdentity(KeycloakSession session, RealmModel realm, BrokeredIdentityContext context) {
        try {
            super.preprocessFederatedIdentity(session, realm, context); // nonce
        } catch (ErrorResponseException | IdentityBrokerException e) {
            // Keycloak answers a nonce mismatch with raw JSON; the user gets a page instead
            recordRefusal("nonce_invalid", e.getMessage());
            if (event != null) {
                event.event(EventType.IDENTITY_PROVIDER_LOGIN).error(Errors.INVALID_TOKEN);
            }
            throw new ErrorPageException(session, session.getContext().getAuthenticationSession(),
                    Response.Status.BAD_REQUEST, MSG_INVALID_TOKEN);
        }
        String alias = getConfig().getAlias();
        FederatedIdentityModel link = new FederatedIdentityModel(alias, context.getId(), context.getUsername());
        if (session.users().getUserByFederatedIdentity(realm, link) != null) {
            return; // returning user
        }
        boolean proven = emailProvenForTenant(context);
        context.getContextData().put(EMAIL_VERIFIED_FOR_TENANT, Boolean.toString(proven));
        if (!proven || realm.isDuplicateEmailsAllowed() || isAccountLinking(session)) {
            return;
        }
        UserModel local;
        try {
            local = session.users().getUserByEmail(realm, context.getEmail());
        } catch (ModelDuplicateException e) {
            return;
        }
        if (local == null || !local.isEnabled() || !local.isEmailVerified() || local.getServiceAccountClientLink() != null
                || linkedToAnEntraIdp(session, realm, local) || !joinOrganization(session, local)) {
            return;
        }
        session.users().addFederatedIdentity(realm, local, link);
        LOG.infof("Entra IdP '%s': linked existing user '%s' to Entra object %s (email proven by tenant %s)",
                alias, local.getUsername(), context.getId(), context.getContextData().get(TENANT_ID));
        if (event != null) {
            event.detail("entra_auto_linked", "true");
        }
    }

    private static boolean isAccountLinking(KeycloakSession session) {
        var authSession = session.getContext().getAuthenticationSession();
        return authSession != null && authSession.getAuthNote(IdentityBrokerService.LINKING_IDENTITY_PROVIDER) != null;
    }

    private static boolean linkedToAnEntraIdp(KeycloakSession session, RealmModel realm, UserModel user) {
        return session.users().getFederatedIdentitiesStream(realm, user)
                .map(l -> session.identityProviders().getByAlias(l.getIdentityProvider()))
                .anyMatch(idp -> idp != null && EntraIdentityProviderFactory.PROVIDER_ID.equals(idp.getProviderId()));
    }

    /**
     * When this IdP belongs to an organization (a customer), the user must already be its member or
     * a member of no organization, and then becomes one, as first-broker-login would do.
     */
    private boolean joinOrganization(KeycloakSession session, UserModel user) {
        String orgId = getConfig().getOrganizationId();
        if (orgId == null) {
            return true;
        }
        OrganizationProvider orgs = session.getProvider(OrganizationProvider.class);
        OrganizationModel org = orgs == null ? null : orgs.getById(orgId);
        if (org == null) {
            return false;
        }
        if (orgs.isMember(org, user)) {
            return true;
        }
        if (orgs.getByMember(user).findAny().isPresent()) {
            return false; // a member of another customer
        }
        return orgs.addManagedMember(org, user);
    }

    /**
     * A new user (or one whose email changed) gets a verified email only when Entra proves it for
     * their tenant; Keycloak's own rule otherwise (trustEmail) does not apply to entra-id.
     */
    @Override
    protected void setEmailVerified(UserModel user, BrokeredIdentityContext context) {
        var authSession = context.getAuthenticationSession();
        boolean isNewUser = authSession != null
                && Boolean.parseBoolean(authSession.getAuthNote(BROKER_REGISTERED_NEW_USER));
        String federatedEmail = context.getEmail();
        if (isNewUser || federatedEmail != null && !federatedEmail.equalsIgnoreCase(user.getEmail())) {
            user.setEmailVerified(emailVerifiedForTenant(context));
        }
    }

    /** External-to-internal token exchange would bypass the oid identity and the email proof: not offered. */
    @Override
    protected boolean supportsExternalExchange() {
        return false;
    }

    /** Context data survives first-broker-login serialization as a string, hence the parse. */
    private static boolean emailVerifiedForTenant(BrokeredIdentityContext context) {
        return Boolean.parseBoolean(String.valueOf(context.getContextData().get(EMAIL_VERIFIED_FOR_TENANT)));
    }
}
