package dev.entrapbx.core;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.keycloak.common.util.CertificateUtils;
import org.keycloak.common.util.PemUtils;
import org.keycloak.util.JsonSerialization;

/**
 * A certificate credential of an Entra app registration: an RSA key pair that Keycloak generates
 * and a self-signed certificate whose public part the admin uploads to Entra
 * (Certificates &amp; secrets). Builds the client assertion Entra expects: RS256, header
 * {@code x5t#S256} = base64url(SHA-256 of the certificate), aud = token endpoint, iss = sub =
 * client id. See https://learn.microsoft.com/entra/identity-platform/certificate-credentials.
 *
 * <p>{@link #toString()} never includes the private key.
 */
public final class EntraCertificate {

    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(365);
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Duration ASSERTION_LIFETIME = Duration.ofMinutes(5);

    private final X509Certificate certificate;
    private final PrivateKey privateKey;

    private EntraCertificate(X509Certificate certificate, PrivateKey privateKey) {
        this.certificate = Objects.requireNonNull(certificate);
        this.privateKey = Objects.requireNonNull(privateKey);
    }

    /** A new RSA-2048 key pair and a self-signed certificate valid from now for {@code validity}. */
    public static EntraCertificate generate(String subject, Duration validity, Instant now) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            X509Certificate cert = CertificateUtils.generateV1SelfSignedCertificate(pair, subject,
                    BigInteger.valueOf(now.toEpochMilli()), Date.from(now.plus(validity)));
            return new EntraCertificate(cert, pair.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not generate an RSA key pair", e);
        }
    }

    /**
     * Reads a certificate and its private key (PEM).
     *
     * @throws IllegalArgumentException when either does not parse or the key does not belong to the certificate
     */
    public static EntraCertificate fromPem(String certificatePem, String privateKeyPem) {
        X509Certificate cert = parseCertificate(certificatePem);
        PrivateKey key;
        try {
            key = PemUtils.decodePrivateKey(privateKeyPem.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("The private key is not a PEM-encoded RSA private key.");
        }
        EntraCertificate c = new EntraCertificate(cert, key);
        if (!c.keyMatchesCertificate()) {
            throw new IllegalArgumentException("The private key does not belong to the certificate.");
        }
        return c;
    }

    /** @throws IllegalArgumentException when the PEM is not an X.509 certificate */
    public static X509Certificate parseCertificate(String pem) {
        try {
            X509Certificate cert = PemUtils.decodeCertificate(pem == null ? null : pem.trim());
            if (cert == null) {
                throw new IllegalArgumentException("empty");
            }
            return cert;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("The certificate is not a PEM-encoded X.509 certificate.");
        }
    }

    private boolean keyMatchesCertificate() {
        try {
            byte[] probe = "entra-pbx key check".getBytes(StandardCharsets.UTF_8);
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(privateKey);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance("SHA256withRSA");
            v.initVerify(certificate.getPublicKey());
            v.update(probe);
            return certificate.getPublicKey() instanceof RSAPublicKey && v.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** For signing only (client assertions, MSAL); never log or display it. */
    public PrivateKey privateKey() {
        return privateKey;
    }

    public String certificatePem() {
        return "-----BEGIN CERTIFICATE-----\n" + PemUtils.encodeCertificate(certificate) + "\n-----END CERTIFICATE-----\n";
    }

    /** PKCS#8 PEM of the private key: only for secure storage, never for display or logs. */
    public String privateKeyPem() {
        return "-----BEGIN PRIVATE KEY-----\n" + PemUtils.encodeKey(privateKey) + "\n-----END PRIVATE KEY-----\n";
    }

    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    public CredentialExpiry expiry() {
        return new CredentialExpiry(notAfter());
    }

    /** base64url(SHA-256(DER)), the {@code x5t#S256} header value and what Entra shows as the thumbprint's SHA-256 form. */
    public String thumbprintSha256() {
        return B64URL.encodeToString(digest("SHA-256"));
    }

    /** Hex SHA-1 thumbprint, as the Entra portal lists certificates. */
    public String thumbprintSha1Hex() {
        StringBuilder sb = new StringBuilder();
        for (byte b : digest("SHA-1")) {
            sb.append(String.format("%02X", b));
        }
        return sb.toString();
    }

    private byte[] digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm).digest(certificate.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A signed client assertion (compact JWS) for the token endpoint {@code audience}. */
    public String clientAssertion(String clientId, String audience, Instant now) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "RS256");
        header.put("typ", "JWT");
        header.put("x5t#S256", thumbprintSha256());
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("aud", audience);
        claims.put("iss", clientId);
        claims.put("sub", clientId);
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("iat", now.getEpochSecond());
        claims.put("nbf", now.getEpochSecond());
        claims.put("exp", now.plus(ASSERTION_LIFETIME).getEpochSecond());
        try {
            String signingInput = B64URL.encodeToString(JsonSerialization.writeValueAsBytes(header)) + "."
                    + B64URL.encodeToString(JsonSerialization.writeValueAsBytes(claims));
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(privateKey);
            s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64URL.encodeToString(s.sign());
        } catch (Exception e) {
            throw new IllegalStateException("Could not sign the client assertion", e);
        }
    }

    @Override
    public String toString() {
        return "EntraCertificate[" + certificate.getSubjectX500Principal().getName() + ", notAfter=" + notAfter()
                + ", x5t#S256=" + thumbprintSha256() + "]";
    }
}
