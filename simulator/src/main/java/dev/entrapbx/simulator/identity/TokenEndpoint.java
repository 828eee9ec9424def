package dev.entrapbx.simulator.identity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.entrapbx.simulator.directory.Directory;
import dev.entrapbx.simulator.http.Request;
import dev.entrapbx.simulator.http.Response;
import dev.entrapbx.simulator.json.Json;
import dev.entrapbx.simulator.model.AppRegistration;
import dev.entrapbx.simulator.model.User;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code POST /{tenant}/oauth2/v2.0/token}: authorization_code (with PKCE), refresh_token (rotating) and
 * client_credentials, per https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow and
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow.
 */
final class TokenEndpoint {
    private static final Set<String> OIDC_SCOPES = Set.of("openid", "profile", "email", "offline_access");

    private final String baseUrl;
    private final Directory directory;
    private final Grants grants;
    private final TokenIssuer issuer;
    private final ClientAuthenticator authenticator;
    private final GraphAudiences audiences;

    TokenEndpoint(String baseUrl, Directory directory, Grants grants, TokenIssuer issuer,
                  ClientAuthenticator authenticator, GraphAudiences audiences) {
        this.baseUrl = baseUrl;
        this.directory = directory;
        this.grants = grants;
        this.issuer = issuer;
        this.authenticator = authenticator;
        this.audiences = audiences;
    }

    Response token(Request req) {
        try {
            String segment = req.pathVariable("tenant");
            TenantScope scope = TenantScope.resolve(segment, directory)
                    .orElseThrow(() -> AadErrors.tenantNotFound(segment));
            String grantType = req.formParam("grant_type").orElseThrow(() -> AadErrors.missingParameter("grant_type"));
            String clientId = ClientAuthenticator.clientId(req).orElseThrow(() -> AadErrors.missingParameter("client_id"));
            AppRegistration app = AppAccess.require(directory, scope, clientId);
            ObjectNode body = switch (grantType) {
                case "authorization_code" -> authorizationCode(req, scope, app);
                case "refresh_token" -> refreshToken(req, scope, app);
                case "client_credentials" -> clientCredentials(req, scope, app);
                default -> throw AadErrors.unsupportedGrantType(grantType);
            };
            return Response.json(200, body).header("Cache-Control", "no-store, no-cache").header("Pragma", "no-cache");
        } catch (AadError e) {
            return e.toResponse(req, baseUrl);
        }
    }

    private ObjectNode authorizationCode(Request req, TenantScope scope, AppRegistration app) {
        String code = req.formParam("code").orElseThrow(() -> AadErrors.missingParameter("code"));
        TokenIssuer.ClientAuth auth = authenticator.authenticate(req, app, scope);
        Grants.CodeGrant grant = grants.redeemCode(code);
        if (!grant.clientId().equalsIgnoreCase(app.appId())) {
            throw AadErrors.grantForOtherClient();
        }
        boolean sameEndpoint = grant.endpoint().isTenant()
                ? scope.isTenant() && scope.tenant().id().equals(grant.endpoint().tenant().id())
                : !scope.isTenant() || scope.tenant().id().equals(grant.tenantId());
        if (!sameEndpoint) {
            throw AadErrors.codeForOtherTenant();
        }
        String redirectUri = req.formParam("redirect_uri").orElseThrow(() -> AadErrors.missingParameter("redirect_uri"));
        if (!redirectUri.equals(grant.redirectUri())) {
            throw AadErrors.replyAddressMismatch(redirectUri, grant.redirectUri());
        }
        if (grant.codeChallenge() != null) {
            String verifier = req.formParam("code_verifier").orElseThrow(AadErrors::pkceVerifierMissing);
            String expected = "S256".equals(grant.codeChallengeMethod()) ? s256(verifier) : verifier;
            if (!expected.equals(grant.codeChallenge())) {
                throw AadErrors.pkceMismatch();
            }
        }
        User user = activeUser(grant.tenantId(), grant.userId());
        return userTokens(app, user, grant.tenantId(), grant.scopes(), grant.nonce(), grant.sessionState(),
                grant.authTime(), auth, req);
    }

    private ObjectNode refreshToken(Request req, TenantScope scope, AppRegistration app) {
        String token = req.formParam("refresh_token").orElseThrow(() -> AadErrors.missingParameter("refresh_token"));
        TokenIssuer.ClientAuth auth = authenticator.authenticate(req, app, scope);
        Grants.RefreshGrant grant = grants.refreshGrant(token).orElseThrow(AadErrors::malformed);
        if (!grant.clientId().equalsIgnoreCase(app.appId())) {
            throw AadErrors.grantForOtherClient();
        }
        if (!scope.admitsUsersOf(grant.tenantId())) {
            throw AadErrors.codeForOtherTenant();
        }
        User user = activeUser(grant.tenantId(), grant.userId());
        // A new refresh token is returned on every use; the old one is not revoked, as at Entra:
        // https://learn.microsoft.com/entra/identity-platform/refresh-tokens
        return userTokens(app, user, grant.tenantId(), grant.scopes(), null, grant.sessionState(), grant.authTime(),
                auth, req);
    }

    private ObjectNode clientCredentials(Request req, TenantScope scope, AppRegistration app) {
        String scopeParam = req.formParam("scope").orElseThrow(() -> AadErrors.missingParameter("scope"));
        if (scope.kind() == TenantScope.Kind.COMMON || scope.kind() == TenantScope.Kind.CONSUMERS) {
            throw AadErrors.grantTypeNeedsTenant();
        }
        TokenIssuer.ClientAuth auth = authenticator.authenticate(req, app, scope);
        if (auth == TokenIssuer.ClientAuth.PUBLIC) {
            throw AadErrors.credentialRequired();
        }
        String tenantId = scope.isTenant() ? scope.tenant().id() : app.tenantId();
        String tenantName = directory.requireTenant(tenantId).displayName();
        // a multi-tenant app reaches another tenant only once an admin there consented (its service principal)
        Set<String> roles = directory.permissionsIn(app, tenantId)
                .orElseThrow(() -> AadErrors.appNotFound(app.appId(), tenantName));
        List<String> resources = new ArrayList<>();
        for (String s : scopeParam.trim().split("\\s+")) {
            if (s.isEmpty() || OIDC_SCOPES.contains(s.toLowerCase(Locale.ROOT))) {
                continue; // MSAL adds OIDC scopes; Entra ignores them for client credentials
            }
            if (!s.endsWith("/.default")) {
                throw AadErrors.scopeNotDefault(s);
            }
            resources.add(s.substring(0, s.length() - "/.default".length()));
        }
        if (resources.isEmpty()) {
            throw AadErrors.scopeNotDefault(scopeParam);
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (String r : resources) {
            distinct.add(audiences.canonical(r).orElseThrow(() -> AadErrors.resourceNotFound(
                    r.replaceAll("/+$", ""), tenantName)));
        }
        if (distinct.size() > 1) {
            throw AadErrors.scopeMultipleResources();
        }
        String audience = distinct.iterator().next();
        ObjectNode body = Json.object();
        body.put("token_type", "Bearer");
        body.put("expires_in", TokenIssuer.ACCESS_TOKEN_SECONDS);
        body.put("ext_expires_in", TokenIssuer.ACCESS_TOKEN_SECONDS);
        body.put("access_token", issuer.appAccessToken(app, tenantId, audience, auth, roles));
        return body;
    }

    private ObjectNode userTokens(AppRegistration app, User user, String tenantId, RequestedScopes scopes,
                                  String nonce, String sessionState, Instant authTime,
                                  TokenIssuer.ClientAuth auth, Request req) {
        ObjectNode body = Json.object();
        body.put("token_type", "Bearer");
        body.put("scope", scopes.responseScope());
        body.put("expires_in", TokenIssuer.ACCESS_TOKEN_SECONDS);
        body.put("ext_expires_in", TokenIssuer.ACCESS_TOKEN_SECONDS);
        body.put("access_token", issuer.delegatedAccessToken(app, user, tenantId, scopes, auth));
        if (scopes.has("offline_access")) {
            body.put("refresh_token", grants.issueRefreshToken(new Grants.RefreshGrant(app.appId(), tenantId, user.id(),
                    scopes, sessionState, authTime)));
        }
        if (scopes.has("openid")) {
            body.put("id_token", issuer.idToken(app, user, tenantId, scopes, nonce, sessionState, authTime));
        }
        if ("1".equals(req.formParam("client_info").orElse(null))) {
            String info = "{\"uid\":\"" + user.id() + "\",\"utid\":\"" + tenantId + "\"}";
            body.put("client_info", Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(info.getBytes(StandardCharsets.UTF_8)));
        }
        return body;
    }

    private User activeUser(String tenantId, String userId) {
        if (directory.tenant(tenantId).isEmpty()) {
            throw AadErrors.grantRevoked();
        }
        User user = directory.user(tenantId, userId).orElseThrow(AadErrors::grantRevoked);
        if (!user.accountEnabled()) {
            throw AadErrors.userDisabled();
        }
        return user;
    }

    static String s256(String verifier) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
