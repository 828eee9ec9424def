package dev.entrapbx.simulator.model;

import dev.entrapbx.simulator.tls.Certificates;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/** A certificate (key credential) uploaded to an app registration; its validity comes from the certificate. */
public record AppCertificate(String keyId, X509Certificate certificate) {
    public AppCertificate {
        Objects.requireNonNull(certificate, "certificate");
        keyId = Ids.orNew(keyId, "certificate keyId");
    }

    public static AppCertificate of(X509Certificate certificate) {
        return new AppCertificate(null, certificate);
    }

    public static AppCertificate ofPem(String pem) {
        return of(Certificates.parseCertificate(pem));
    }

    public String displayName() { return certificate.getSubjectX500Principal().getName(); }
    public Instant startDateTime() { return certificate.getNotBefore().toInstant(); }
    public Instant endDateTime() { return certificate.getNotAfter().toInstant(); }
    /** base64url SHA-1 thumbprint ({@code x5t}). */
    public String x5t() { return Certificates.x5t(certificate); }
    /** base64url SHA-256 thumbprint ({@code x5t#S256}). */
    public String x5tS256() { return Certificates.x5tS256(certificate); }
    /** Upper-case hex SHA-1 thumbprint (Graph's customKeyIdentifier). */
    public String thumbprint() { return Certificates.sha1Hex(certificate); }

    /** Whether a JWS thumbprint header (x5t#S256 or x5t, already base64-decoded) names this certificate. */
    public boolean hasThumbprint(byte[] sha256, byte[] sha1) {
        byte[] der = Certificates.der(certificate);
        return sha256 != null ? Arrays.equals(sha256, digest("SHA-256", der))
                : sha1 != null && Arrays.equals(sha1, digest("SHA-1", der));
    }

    private static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean isExpired(Instant now) {
        return !endDateTime().isAfter(now);
    }
}
