package dev.entrapbx.simulator.tls;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;

/**
 * X.509 helpers (BouncyCastle builder, JDK crypto providers): key pairs, self-signed and CA-signed
 * certificates, PEM, thumbprints. Public because tests and other modules generate client certificates with it.
 */
public final class Certificates {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Certificates() { }

    public static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator kpg = KeyPairGenerator.getInstance("RSA");
            kpg.initialize(2048, RANDOM);
            return kpg.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA unavailable", e);
        }
    }

    /** A self-signed end-entity certificate, e.g. an app registration's client certificate or a token-signing key. */
    public static X509Certificate selfSigned(KeyPair keyPair, String subjectDn, Instant notBefore, Instant notAfter) {
        X500Name name = new X500Name(subjectDn);
        return build(new JcaX509v3CertificateBuilder(name, serial(), Date.from(notBefore), Date.from(notAfter), name,
                keyPair.getPublic()), keyPair.getPrivate(), b -> { });
    }

    public static X509Certificate selfSigned(KeyPair keyPair, String subjectDn, Duration validity) {
        Instant now = Instant.now();
        return selfSigned(keyPair, subjectDn, now.minus(Duration.ofHours(1)), now.plus(validity));
    }

    /** A certificate authority able to sign server certificates. */
    public static X509Certificate certificateAuthority(KeyPair keyPair, String subjectDn, Duration validity) {
        X500Name name = new X500Name(subjectDn);
        Instant now = Instant.now();
        return build(new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(validity)), name, keyPair.getPublic()), keyPair.getPrivate(), b -> {
                    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
                    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
                    b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keyPair.getPublic()));
                });
    }

    /** A TLS server certificate for the given DNS names and IP addresses, signed by the CA. */
    public static X509Certificate serverCertificate(KeyPair serverKeys, String subjectDn, List<String> dnsNames,
                                                    List<String> ipAddresses, X509Certificate ca, PrivateKey caKey,
                                                    Duration validity) {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, serial(),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(validity)), new X500Name(subjectDn),
                serverKeys.getPublic());
        return build(builder, caKey, b -> {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            List<GeneralName> names = new ArrayList<>();
            dnsNames.forEach(d -> names.add(new GeneralName(GeneralName.dNSName, d)));
            ipAddresses.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(serverKeys.getPublic()));
        });
    }

    public static String toPem(X509Certificate certificate) {
        return pem(certificate);
    }

    public static String toPem(PrivateKey key) {
        return pem(key);
    }

    /** Parses the first certificate of a PEM text (or bare base64 DER). */
    public static X509Certificate parseCertificate(String pemOrBase64) {
        String text = pemOrBase64.trim();
        try {
            if (!text.startsWith("-----")) {
                byte[] der = Base64.getMimeDecoder().decode(text);
                return (X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(der));
            }
            try (PEMParser parser = new PEMParser(new StringReader(text))) {
                Object o;
                while ((o = parser.readObject()) != null) {
                    if (o instanceof X509CertificateHolder holder) {
                        return new JcaX509CertificateConverter().getCertificate(holder);
                    }
                }
            }
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Not a valid X.509 certificate: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("No certificate found in PEM text");
    }

    /** Parses a PKCS#8 or PKCS#1 private key from PEM. */
    public static PrivateKey parsePrivateKey(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (o instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (o instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            throw new IllegalArgumentException("No private key found in PEM text");
        } catch (IOException e) {
            throw new IllegalArgumentException("Not a valid private key: " + e.getMessage(), e);
        }
    }

    /** base64url(SHA-1(DER)) - the {@code x5t} form. */
    public static String x5t(X509Certificate certificate) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest("SHA-1", der(certificate)));
    }

    /** base64url(SHA-256(DER)) - the {@code x5t#S256} form. */
    public static String x5tS256(X509Certificate certificate) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest("SHA-256", der(certificate)));
    }

    /** Upper-case hex SHA-1 thumbprint, as the Azure portal and Graph's customKeyIdentifier show it. */
    public static String sha1Hex(X509Certificate certificate) {
        return HexFormat.of().withUpperCase().formatHex(digest("SHA-1", der(certificate)));
    }

    public static byte[] der(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private interface Extensions {
        void add(X509v3CertificateBuilder builder) throws IOException, GeneralSecurityException;
    }

    private static X509Certificate build(X509v3CertificateBuilder builder, PrivateKey signingKey, Extensions extensions) {
        try {
            extensions.add(builder);
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(signingKey);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("Cannot build certificate: " + e.getMessage(), e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(64, RANDOM).abs().add(BigInteger.ONE);
    }

    private static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(Object o) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
