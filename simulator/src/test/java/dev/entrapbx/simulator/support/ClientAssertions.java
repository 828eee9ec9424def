package dev.entrapbx.simulator.support;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.entrapbx.simulator.tls.Certificates;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/** Builds certificate-signed client assertions (private_key_jwt) as a confidential client would. */
public final class ClientAssertions {
    /** A client certificate with its key pair. */
    public record ClientCert(KeyPair keys, X509Certificate certificate) {
        public static ClientCert create(String cn, Duration validity) {
            KeyPair kp = Certificates.rsaKeyPair();
            return new ClientCert(kp, Certificates.selfSigned(kp, "CN=" + cn, validity));
        }
    }

    private ClientAssertions() { }

    public static String sign(ClientCert cert, String clientId, String audience, JWSAlgorithm alg, boolean sha256Thumbprint,
                              Instant notBefore, Instant expires) throws Exception {
        JWSHeader.Builder header = new JWSHeader.Builder(alg).type(JOSEObjectType.JWT);
        if (sha256Thumbprint) {
            header.x509CertSHA256Thumbprint(new Base64URL(Certificates.x5tS256(cert.certificate())));
        } else {
            legacyThumbprint(header, cert);
        }
        JWTClaimsSet claims = new JWTClaimsSet.Builder().audience(audience).issuer(clientId).subject(clientId)
                .jwtID(UUID.randomUUID().toString()).notBeforeTime(Date.from(notBefore))
                .issueTime(Date.from(notBefore)).expirationTime(Date.from(expires)).build();
        SignedJWT jwt = new SignedJWT(header.build(), claims);
        jwt.sign(new RSASSASigner(cert.keys().getPrivate()));
        return jwt.serialize();
    }

    @SuppressWarnings("deprecation")
    private static void legacyThumbprint(JWSHeader.Builder header, ClientCert cert) {
        header.x509CertThumbprint(new Base64URL(Certificates.x5t(cert.certificate())));
    }

    public static String sign(ClientCert cert, String clientId, String audience) throws Exception {
        Instant now = Instant.now();
        return sign(cert, clientId, audience, JWSAlgorithm.PS256, true, now, now.plus(Duration.ofMinutes(10)));
    }
}
