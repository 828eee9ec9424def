package dev.entrapbx.simulator.identity;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64;
import dev.entrapbx.simulator.json.Json;
import dev.entrapbx.simulator.tls.Certificates;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The token-signing keys. The first key signs; older keys stay published after a rotation that keeps them,
 * so tokens they signed still validate. As at Microsoft, {@code kid} equals {@code x5t}
 * (base64url SHA-1 thumbprint of the key's self-signed certificate).
 */
public final class SigningKeys {
    private static final int MAX_PUBLISHED = 3;

    /** One key pair with its certificate. */
    public record SigningKey(String kid, RSAKey jwk, X509Certificate certificate) { }

    private volatile List<SigningKey> keys = List.of(newKey());
    private volatile SigningKey unpublished;

    public SigningKey current() {
        return keys.get(0);
    }

    /** Published keys, newest first. */
    public List<SigningKey> published() {
        return keys;
    }

    public Optional<SigningKey> byKid(String kid) {
        return keys.stream().filter(k -> k.kid().equals(kid)).findFirst();
    }

    /** A key pair never published in the JWKS (for the UNKNOWN_KID tampering). */
    public SigningKey unpublished() {
        SigningKey k = unpublished;
        if (k == null) {
            synchronized (this) {
                if (unpublished == null) {
                    unpublished = newKey();
                }
                k = unpublished;
            }
        }
        return k;
    }

    /** Generates a new signing key; {@code keepPrevious} keeps older keys in the JWKS (up to three keys). */
    public synchronized SigningKey rotate(boolean keepPrevious) {
        SigningKey next = newKey();
        List<SigningKey> list = new ArrayList<>();
        list.add(next);
        if (keepPrevious) {
            list.addAll(keys.subList(0, Math.min(keys.size(), MAX_PUBLISHED - 1)));
        }
        keys = List.copyOf(list);
        return next;
    }

    /**
     * The JWKS document as Microsoft serves it: kty, use, kid, x5t, n, e, x5c, issuer.
     * https://learn.microsoft.com/entra/identity-platform/access-tokens#validate-the-signature
     */
    public ObjectNode jwks(String issuer) {
        ObjectNode doc = Json.object();
        ArrayNode arr = doc.putArray("keys");
        for (SigningKey key : keys) {
            RSAKey pub = key.jwk().toPublicJWK();
            ObjectNode k = arr.addObject();
            k.put("kty", "RSA");
            k.put("use", "sig");
            k.put("kid", key.kid());
            k.put("x5t", key.kid());
            k.put("n", pub.getModulus().toString());
            k.put("e", pub.getPublicExponent().toString());
            k.putArray("x5c").add(Base64.encode(Certificates.der(key.certificate())).toString());
            k.put("issuer", issuer);
        }
        return doc;
    }

    private static SigningKey newKey() {
        KeyPair kp = Certificates.rsaKeyPair();
        X509Certificate cert = Certificates.selfSigned(kp, "CN=entra-simulator token signing", Duration.ofDays(3650));
        String kid = Certificates.x5t(cert);
        RSAKey jwk = new RSAKey.Builder((RSAPublicKey) kp.getPublic())
                .privateKey((RSAPrivateKey) kp.getPrivate())
                .keyID(kid)
                .keyUse(KeyUse.SIGNATURE)
                .build();
        return new SigningKey(kid, jwk, cert);
    }
}
