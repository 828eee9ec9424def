package dev.entrapbx.simulator.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.entrapbx.simulator.directory.Directory;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Validates bearer tokens presented to Graph and userinfo: signature, audience, lifetime, tenant. */
public final class AccessTokenValidator {
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

    /** Why a token was refused (the message is what Graph's 401 says). */
    public static final class InvalidTokenException extends Exception {
        private static final long serialVersionUID = 1L;

        public InvalidTokenException(String message) {
            super(message);
        }
    }

    private final SigningKeys keys;
    private final GraphAudiences audiences;
    private final Directory directory;
    private final Clock clock;

    public AccessTokenValidator(SigningKeys keys, GraphAudiences audiences, Directory directory, Clock clock) {
        this.keys = keys;
        this.audiences = audiences;
        this.directory = directory;
        this.clock = clock;
    }

    public AccessTokenClaims validate(String token) throws InvalidTokenException {
        if (token == null || token.isBlank()) {
            throw new InvalidTokenException("Access token is empty.");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new InvalidTokenException("IDX14100: JWT is not well formed, there are no dots (.). "
                    + "The token needs to be in JWS or JWE Compact Serialization Format.");
        }
        if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
            throw new InvalidTokenException("Access token validation failure. Unsupported signing algorithm.");
        }
        Optional<SigningKeys.SigningKey> key = keys.byKid(jwt.getHeader().getKeyID());
        if (key.isEmpty()) {
            throw new InvalidTokenException("Access token validation failure. Signing key not found.");
        }
        try {
            if (!jwt.verify(new RSASSAVerifier(key.get().jwk().toRSAPublicKey()))) {
                throw new InvalidTokenException("Access token validation failure. Invalid signature.");
            }
        } catch (JOSEException e) {
            throw new InvalidTokenException("Access token validation failure. Invalid signature.");
        }
        Instant now = clock.instant();
        if (claims.getExpirationTime() == null || claims.getExpirationTime().toInstant().plus(CLOCK_SKEW).isBefore(now)) {
            throw new InvalidTokenException("Lifetime validation failed, the token is expired.");
        }
        if (claims.getNotBeforeTime() != null && claims.getNotBeforeTime().toInstant().minus(CLOCK_SKEW).isAfter(now)) {
            throw new InvalidTokenException("Lifetime validation failed, the token is not yet valid.");
        }
        List<String> aud = claims.getAudience();
        if (aud == null || aud.size() != 1 || !audiences.accepts(aud.get(0))) {
            throw new InvalidTokenException("Access token validation failure. Invalid audience.");
        }
        String tid = string(claims, "tid");
        if (tid == null || directory.tenant(tid).isEmpty()) {
            throw new InvalidTokenException("Access token validation failure. Invalid tenant.");
        }
        boolean appOnly = "app".equals(string(claims, "idtyp"));
        Set<String> roles = new HashSet<>();
        try {
            List<String> r = claims.getStringListClaim("roles");
            if (r != null) {
                roles.addAll(r);
            }
        } catch (ParseException e) {
            throw new InvalidTokenException("Access token validation failure. Invalid roles claim.");
        }
        String scp = string(claims, "scp");
        Set<String> scopes = scp == null ? Set.of() : new HashSet<>(Arrays.asList(scp.split(" ")));
        return new AccessTokenClaims(tid, string(claims, "appid"), aud.get(0), appOnly, string(claims, "oid"),
                Set.copyOf(roles), Set.copyOf(scopes));
    }

    private static String string(JWTClaimsSet claims, String name) {
        Object v = claims.getClaim(name);
        return v == null ? null : v.toString();
    }
}
