package dev.entrapbx.simulator.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The simulator's TLS identity: a local CA ({@code ca.pem}, {@code ca-key.pem}) and a server certificate for
 * localhost / 127.0.0.1 / ::1 signed by it ({@code server.p12}). Files in the cert directory are reused, so a
 * restarted simulator keeps the same trust anchor; a missing or nearly expired server certificate is re-issued
 * from the existing CA.
 */
public final class TlsMaterial {
    /** Password of server.p12 (a local development key store, not a secret). */
    public static final String KEYSTORE_PASSWORD = "entra-simulator";
    private static final String CA_PEM = "ca.pem";
    private static final String CA_KEY_PEM = "ca-key.pem";
    private static final String SERVER_P12 = "server.p12";
    private static final String ALIAS = "server";
    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    // 397 days: below the 398-day ceiling browsers apply to TLS server certificates.
    private static final Duration SERVER_VALIDITY = Duration.ofDays(397);
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);
    private static final Object FILE_LOCK = new Object();

    private final Path certDir;
    private final X509Certificate ca;
    private final KeyStore serverKeyStore;

    private TlsMaterial(Path certDir, X509Certificate ca, KeyStore serverKeyStore) {
        this.certDir = certDir;
        this.ca = ca;
        this.serverKeyStore = serverKeyStore;
    }

    /** Loads the material from {@code certDir}, creating whatever is missing. */
    public static TlsMaterial loadOrCreate(Path certDir) {
        return loadOrCreate(certDir, List.of());
    }

    /**
     * Like {@link #loadOrCreate(Path)}, with extra DNS names in the server certificate (e.g. a
     * container's service name); a stored certificate without one of them is issued again.
     */
    public static TlsMaterial loadOrCreate(Path certDir, List<String> extraDnsNames) {
        List<String> dnsNames = new ArrayList<>(List.of("localhost"));
        extraDnsNames.stream().filter(n -> !dnsNames.contains(n)).forEach(dnsNames::add);
        synchronized (FILE_LOCK) {
            try {
                Files.createDirectories(certDir);
                Path caPem = certDir.resolve(CA_PEM);
                Path caKeyPem = certDir.resolve(CA_KEY_PEM);
                X509Certificate ca;
                PrivateKey caKey;
                if (Files.exists(caPem) && Files.exists(caKeyPem) && stillValid(readCert(caPem))) {
                    ca = readCert(caPem);
                    caKey = Certificates.parsePrivateKey(Files.readString(caKeyPem));
                } else {
                    KeyPair caKeys = Certificates.rsaKeyPair();
                    ca = Certificates.certificateAuthority(caKeys,
                            "CN=Entra Simulator Local CA,O=entra-pbx,OU=development only", CA_VALIDITY);
                    caKey = caKeys.getPrivate();
                    writeAtomically(caKeyPem, Certificates.toPem(caKey).getBytes(StandardCharsets.US_ASCII));
                    writeAtomically(caPem, Certificates.toPem(ca).getBytes(StandardCharsets.US_ASCII));
                    Files.deleteIfExists(certDir.resolve(SERVER_P12));
                }
                KeyStore server = loadServer(certDir.resolve(SERVER_P12), ca, dnsNames);
                if (server == null) {
                    server = issueServer(certDir.resolve(SERVER_P12), ca, caKey, dnsNames);
                }
                return new TlsMaterial(certDir, ca, server);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot prepare TLS material in " + certDir, e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("Cannot prepare TLS material in " + certDir + ": " + e.getMessage(), e);
            }
        }
    }

    /** The CA certificate in PEM, the trust anchor to give clients (e.g. Keycloak's --truststore-paths). */
    public Path trustAnchorPem() {
        return certDir.resolve(CA_PEM);
    }

    /**
     * The server key store (PKCS#12, password {@link #KEYSTORE_PASSWORD}): a certificate for
     * localhost (and the extra names) signed by the CA, usable by another local server too (the
     * cluster test's Keycloak nodes, Keycloak in the compose file).
     */
    public Path serverKeyStore() {
        return certDir.resolve(SERVER_P12);
    }

    public X509Certificate certificateAuthority() {
        return ca;
    }

    /** The certificate the server presents (signed by the CA). */
    public X509Certificate serverCertificate() {
        try {
            return (X509Certificate) serverKeyStore.getCertificateChain(ALIAS)[0];
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Server-side context presenting the server certificate. */
    public SSLContext serverContext() {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(serverKeyStore, KEYSTORE_PASSWORD.toCharArray());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Client-side context that trusts exactly the simulator's CA. */
    public SSLContext clientContext() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("entra-simulator-ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyStore loadServer(Path p12, X509Certificate ca, List<String> dnsNames) throws IOException, GeneralSecurityException {
        if (!Files.exists(p12)) {
            return null;
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, KEYSTORE_PASSWORD.toCharArray());
        } catch (IOException e) {
            return null; // unreadable: issue a new one
        }
        Certificate[] chain = ks.getCertificateChain(ALIAS);
        if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
            return null;
        }
        try {
            leaf.verify(ca.getPublicKey());
        } catch (GeneralSecurityException e) {
            return null; // signed by another CA
        }
        return stillValid(leaf) && coversAll(leaf, dnsNames) ? ks : null;
    }

    private static boolean coversAll(X509Certificate leaf, List<String> dnsNames) throws GeneralSecurityException {
        java.util.Set<String> present = new java.util.HashSet<>();
        java.util.Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
        if (sans != null) {
            sans.stream().filter(san -> Integer.valueOf(2).equals(san.get(0))).forEach(san -> present.add(String.valueOf(san.get(1))));
        }
        return present.containsAll(dnsNames);
    }

    private static KeyStore issueServer(Path p12, X509Certificate ca, PrivateKey caKey, List<String> dnsNames)
            throws IOException, GeneralSecurityException {
        KeyPair keys = Certificates.rsaKeyPair();
        X509Certificate leaf = Certificates.serverCertificate(keys, "CN=localhost,O=entra-pbx,OU=Entra simulator",
                dnsNames, List.of("127.0.0.1", "::1"), ca, caKey, SERVER_VALIDITY);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry(ALIAS, keys.getPrivate(), KEYSTORE_PASSWORD.toCharArray(), new Certificate[] {leaf, ca});
        Path tmp = Files.createTempFile(p12.getParent(), "server", ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            ks.store(out, KEYSTORE_PASSWORD.toCharArray());
        }
        move(tmp, p12);
        return ks;
    }

    private static boolean stillValid(X509Certificate cert) {
        return cert.getNotAfter().toInstant().isAfter(Instant.now().plus(RENEW_BEFORE));
    }

    private static X509Certificate readCert(Path pem) throws IOException {
        return Certificates.parseCertificate(Files.readString(pem));
    }

    private static void writeAtomically(Path target, byte[] content) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        Files.write(tmp, content);
        move(tmp, target);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
