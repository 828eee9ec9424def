package dev.entrapbx.simulator.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.entrapbx.simulator.directory.Directory;
import dev.entrapbx.simulator.model.AppRegistration;
import dev.entrapbx.simulator.model.Tenant;
import dev.entrapbx.simulator.model.User;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Mints the simulator's JWTs (RS256, kid header): v2.0 ID tokens, delegated and app-only access tokens for Graph.
 * ID token claims follow https://learn.microsoft.com/entra/identity-platform/id-token-claims-reference.
 */
public final class TokenIssuer {
    /** Access token lifetime reported in expires_in. */
    public static final long ACCESS_TOKEN_SECONDS = 3599;
    private static final Duration ID_TOKEN_LIFETIME = Duration.ofHours(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** How the client authenticated, for appidacr / azpacr. */
    public enum ClientAuth {
        PUBLIC("0"), SECRET("1"), CERTIFICATE("2");

        private final String acr;

        ClientAuth(String acr) {
            this.acr = acr;
        }
    }

    private final String baseUrl;
    private final SigningKeys keys;
    private final Directory directory;
    private final TokenTampering tampering;
    private final Clock clock;

    public TokenIssuer(String baseUrl, SigningKeys keys, Directory directory, TokenTampering tampering, Clock clock) {
        this.baseUrl = baseUrl;
        this.keys = keys;
        this.directory = directory;
        this.tampering = tampering;
        this.clock = clock;
    }

    /** {@code {base}/{tenantId}/v2.0}. */
    public String issuer(String tenantId) {
        return baseUrl + "/" + tenantId + "/v2.0";
    }

    /** The pairwise subject: stable per (app, user), different for every app. */
    public static String pairwiseSubject(String appId, String objectId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(
                    ("entra-simulator-sub:" + appId.toLowerCase(Locale.ROOT) + ":" + objectId)
                            .getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Object id of the app's service principal in a tenant (deterministic). */
    public static String servicePrincipalId(String appId, String tenantId) {
        return UUID.nameUUIDFromBytes(("sp:" + appId + ":" + tenantId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * {@code xms_edov}: true unless the user's email domain is not a verified domain of the user's own tenant, or
     * the user is flagged as having an unverified email.
     */
    public boolean emailDomainOwnerVerified(User user, String tenantId) {
        String mail = user.mail();
        if (mail == null || mail.indexOf('@') < 0 || !user.emailVerified()) {
            return false;
        }
        String domain = mail.substring(mail.lastIndexOf('@') + 1);
        return directory.tenant(tenantId).map(t -> t.hasVerifiedDomain(domain)).orElse(false);
    }

    public String idToken(AppRegistration app, User user, String tenantId, RequestedScopes scopes, String nonce,
                          String sessionState, Instant authTime) {
        IdTokenDefect defect = tampering.take(app.appId()).orElse(null);
        Instant now = clock.instant();
        Instant iat = defect == IdTokenDefect.EXPIRED ? now.minus(Duration.ofHours(2)) : now;
        Instant exp = defect == IdTokenDefect.EXPIRED ? now.minus(Duration.ofHours(1)) : now.plus(ID_TOKEN_LIFETIME);
        String tid = tenantId;
        String iss = issuer(tenantId);
        if (defect == IdTokenDefect.TID_OF_OTHER_TENANT) {
            tid = otherTenantThan(tenantId);
            iss = issuer(tid);
        } else if (defect == IdTokenDefect.WRONG_ISSUER) {
            iss = issuer(UUID.randomUUID().toString());
        }
        JWTClaimsSet.Builder c = new JWTClaimsSet.Builder()
                .audience(defect == IdTokenDefect.WRONG_AUDIENCE ? UUID.randomUUID().toString() : app.appId())
                .issuer(iss)
                .issueTime(Date.from(iat))
                .notBeforeTime(Date.from(iat))
                .expirationTime(Date.from(exp))
                .claim("aio", opaque(48));
        if (scopes.has("email") && user.mail() != null) {
            c.claim("email", user.mail());
        }
        if (scopes.has("profile")) {
            c.claim("name", user.displayName());
        }
        if (nonce != null) {
            c.claim("nonce", defect == IdTokenDefect.WRONG_NONCE ? "tampered-" + opaque(12) : nonce);
        }
        if (scopes.has("profile")) {
            c.claim("oid", user.id());
            c.claim("preferred_username", user.userPrincipalName());
        }
        c.claim("rh", "0." + opaque(40) + ".");
        if (sessionState != null) {
            c.claim("sid", sessionState);
        }
        c.subject(pairwiseSubject(app.appId(), user.id()));
        if (defect != IdTokenDefect.MISSING_TID) {
            c.claim("tid", tid);
        }
        c.claim("uti", opaque(16));
        c.claim("ver", "2.0");
        if (user.mail() != null) {
            c.claim("xms_edov", emailDomainOwnerVerified(user, tenantId));
        }
        if (authTime != null) {
            c.claim("auth_time", authTime.getEpochSecond());
        }
        SigningKeys.SigningKey key = defect == IdTokenDefect.UNKNOWN_KID ? keys.unpublished() : keys.current();
        String jwt = sign(c.build(), key);
        return defect == IdTokenDefect.BAD_SIGNATURE ? corruptSignature(jwt) : jwt;
    }

    public String delegatedAccessToken(AppRegistration app, User user, String tenantId, RequestedScopes scopes,
                                       ClientAuth clientAuth) {
        Instant now = clock.instant();
        JWTClaimsSet.Builder c = common(app, tenantId, scopes.audience(), now, clientAuth)
                .claim("family_name", user.surname())
                .claim("given_name", user.givenName())
                .claim("idtyp", "user")
                .claim("name", user.displayName())
                .claim("oid", user.id())
                .claim("preferred_username", user.userPrincipalName())
                .claim("scp", String.join(" ", scopes.grantedDelegated()))
                .subject(pairwiseSubject(app.appId(), user.id()))
                .claim("unique_name", user.userPrincipalName())
                .claim("upn", user.userPrincipalName());
        return sign(c.build(), keys.current());
    }

    /**
     * App-only token; {@code roles} holds the application permissions the app holds in that tenant
     * (omitted when none, as at Entra).
     */
    public String appAccessToken(AppRegistration app, String tenantId, String audience, ClientAuth clientAuth,
                                 java.util.Collection<String> granted) {
        Instant now = clock.instant();
        String spId = servicePrincipalId(app.appId(), tenantId);
        JWTClaimsSet.Builder c = common(app, tenantId, audience, now, clientAuth)
                .claim("idp", issuer(tenantId))
                .claim("idtyp", "app")
                .claim("oid", spId)
                .subject(spId);
        List<String> roles = List.copyOf(new java.util.TreeSet<>(granted));
        if (!roles.isEmpty()) {
            c.claim("roles", roles);
        }
        return sign(c.build(), keys.current());
    }

    private JWTClaimsSet.Builder common(AppRegistration app, String tenantId, String audience, Instant now,
                                        ClientAuth clientAuth) {
        return new JWTClaimsSet.Builder()
                .audience(audience)
                .issuer(issuer(tenantId))
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(ACCESS_TOKEN_SECONDS + 1)))
                .claim("aio", opaque(48))
                .claim("app_displayname", app.displayName())
                .claim("appid", app.appId())
                .claim("appidacr", clientAuth.acr)
                .claim("azp", app.appId())
                .claim("azpacr", clientAuth.acr)
                .claim("rh", "0." + opaque(40) + ".")
                .claim("tid", tenantId)
                .claim("uti", opaque(16))
                .claim("ver", "2.0");
    }

    private String otherTenantThan(String tenantId) {
        return directory.tenants().stream().map(Tenant::id).filter(id -> !id.equals(tenantId)).findFirst()
                .orElse(UUID.randomUUID().toString());
    }

    private static String sign(JWTClaimsSet claims, SigningKeys.SigningKey key) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256)
                    .type(JOSEObjectType.JWT).keyID(key.kid()).build(), claims);
            jwt.sign(new RSASSASigner(key.jwk()));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign token", e);
        }
    }

    private static String corruptSignature(String jwt) {
        int dot = jwt.lastIndexOf('.');
        byte[] signature = new Base64URL(jwt.substring(dot + 1)).decode();
        signature[signature.length / 2] ^= 0x5A;
        return jwt.substring(0, dot + 1) + Base64URL.encode(signature);
    }

    private static String opaque(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
