package dev.entrapbx.simulator.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.entrapbx.simulator.http.Request;
import dev.entrapbx.simulator.model.AppCertificate;
import dev.entrapbx.simulator.model.AppRegistration;
import dev.entrapbx.simulator.model.ClientSecret;
import dev.entrapbx.simulator.model.Domain;

import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Client authentication at the token endpoint: client_secret (form or HTTP Basic) or a certificate-signed
 * client assertion (private_key_jwt), checked as described in
 * https://learn.microsoft.com/entra/identity-platform/certificate-credentials.
 */
final class ClientAuthenticator {
    static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final Duration SKEW = Duration.ofMinutes(5);
    private static final DateTimeFormatter KEY_WINDOW =
            DateTimeFormatter.ofPattern("MM/dd/yyyy HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256);

    private final String baseUrl;
    private final Clock clock;

    ClientAuthenticator(String baseUrl, Clock clock) {
        this.baseUrl = baseUrl;
        this.clock = clock;
    }

    /** The client id of the request: the form's client_id or the user part of HTTP Basic. */
    static Optional<String> clientId(Request request) {
        return request.formParam("client_id").or(() -> request.basicCredentials().map(c -> c[0]));
    }

    TokenIssuer.ClientAuth authenticate(Request request, AppRegistration app, TenantScope scope) {
        Optional<String> secret = request.formParam("client_secret").or(() -> request.basicCredentials().map(c -> c[1]));
        Optional<String> assertion = request.formParam("client_assertion");
        if (secret.isPresent() && assertion.isPresent()) {
            throw AadErrors.invalidRequest("Only one client credential may be sent: client_secret or client_assertion.");
        }
        if (secret.isPresent()) {
            return checkSecret(app, secret.get());
        }
        if (assertion.isPresent()) {
            String type = request.formParam("client_assertion_type").orElse("");
            if (!JWT_BEARER.equals(type)) {
                throw AadErrors.invalidRequest("client_assertion_type must be '" + JWT_BEARER + "'.");
            }
            return checkAssertion(app, scope, assertion.get());
        }
        if (app.publicClient()) {
            return TokenIssuer.ClientAuth.PUBLIC;
        }
        throw AadErrors.credentialRequired();
    }

    private TokenIssuer.ClientAuth checkSecret(AppRegistration app, String candidate) {
        Instant now = clock.instant();
        for (ClientSecret s : app.secrets()) {
            if (s.matches(candidate)) {
                if (s.isExpired(now)) {
                    throw AadErrors.expiredSecret(app.appId());
                }
                return TokenIssuer.ClientAuth.SECRET;
            }
        }
        throw AadErrors.invalidSecret(app.appId());
    }

    private TokenIssuer.ClientAuth checkAssertion(AppRegistration app, TenantScope scope, String assertion) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(assertion);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw AadErrors.invalidJwt("The client_assertion could not be parsed: " + e.getMessage());
        }
        JWSHeader header = jwt.getHeader();
        if (!ALGORITHMS.contains(header.getAlgorithm())) {
            throw AadErrors.invalidJwt("Unsupported signing algorithm '" + header.getAlgorithm() + "' (use PS256 or RS256).");
        }
        if (!app.appId().equalsIgnoreCase(claims.getIssuer())) {
            throw AadErrors.assertionIssuerMismatch();
        }
        if (!app.appId().equalsIgnoreCase(claims.getSubject())) {
            throw AadErrors.assertionSubjectMismatch();
        }
        List<String> aud = claims.getAudience();
        if (aud == null || aud.stream().noneMatch(acceptedAudiences(scope)::contains)) {
            throw AadErrors.assertionAudience();
        }
        if (claims.getJWTID() == null || claims.getJWTID().isBlank()) {
            throw AadErrors.invalidJwt("The 'jti' claim is required.");
        }
        Instant now = clock.instant();
        Instant exp = claims.getExpirationTime() == null ? null : claims.getExpirationTime().toInstant();
        Instant nbf = claims.getNotBeforeTime() == null ? null : claims.getNotBeforeTime().toInstant();
        if (exp == null || exp.plus(SKEW).isBefore(now) || (nbf != null && nbf.minus(SKEW).isAfter(now))) {
            throw AadErrors.assertionTime(now.toString(), nbf == null ? "1970-01-01T00:00:00Z" : nbf.toString(),
                    exp == null ? "(none)" : exp.toString());
        }
        Base64URL s256 = header.getX509CertSHA256Thumbprint();
        @SuppressWarnings("deprecation")
        Base64URL sha1 = header.getX509CertThumbprint();
        // Thumbprints are compared as bytes: MSAL4J sends them in standard base64, the spec says base64url.
        byte[] s256Bytes = s256 == null ? null : s256.decode();
        byte[] sha1Bytes = sha1 == null ? null : sha1.decode();
        String thumbprint = s256Bytes != null ? hex(s256Bytes) : sha1Bytes != null ? hex(sha1Bytes) : "";
        Optional<AppCertificate> cert = app.certificates().stream()
                .filter(c -> c.hasThumbprint(s256Bytes, sha1Bytes))
                .findFirst();
        if (cert.isEmpty()) {
            throw AadErrors.certificateNotRegistered(thumbprint, app.appId());
        }
        AppCertificate c = cert.get();
        String window = "Start=" + KEY_WINDOW.format(c.startDateTime()) + ", End=" + KEY_WINDOW.format(c.endDateTime());
        if (c.isExpired(now)) {
            throw AadErrors.certificateExpired(thumbprint, window);
        }
        try {
            if (!jwt.verify(new RSASSAVerifier((RSAPublicKey) c.certificate().getPublicKey()))) {
                throw AadErrors.invalidSignature(thumbprint, window);
            }
        } catch (JOSEException | ClassCastException e) {
            throw AadErrors.invalidSignature(thumbprint, window);
        }
        return TokenIssuer.ClientAuth.CERTIFICATE;
    }

    /** The token endpoint URL in its accepted spellings (tenant GUID, any domain, the segment used), v1 and v2. */
    private Set<String> acceptedAudiences(TenantScope scope) {
        Set<String> segments = new LinkedHashSet<>();
        segments.add(scope.segment());
        segments.add(scope.endpointSegment());
        if (scope.isTenant()) {
            scope.tenant().domains().stream().map(Domain::name).forEach(segments::add);
        }
        Set<String> out = new LinkedHashSet<>();
        for (String seg : segments) {
            out.add(baseUrl + "/" + seg + "/oauth2/v2.0/token");
            out.add(baseUrl + "/" + seg + "/oauth2/token");
            out.add(baseUrl + "/" + seg + "/v2.0");
        }
        return out;
    }

    private static String hex(byte[] value) {
        return HexFormat.of().withUpperCase().formatHex(value);
    }
}
