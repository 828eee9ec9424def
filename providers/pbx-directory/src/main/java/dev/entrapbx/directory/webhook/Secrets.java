package dev.entrapbx.directory.webhook;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Webhook signing secrets in the Standard Webhooks format: {@code whsec_} followed by the base64
 * of the key bytes (here 32 random bytes). A secret leaves Keycloak once, in the answer that
 * created or rotated it; everywhere else it is {@link #MASKED}.
 */
final class Secrets {

    static final String PREFIX = "whsec_";
    static final String MASKED = PREFIX + "********";
    static final int KEY_BYTES = 32;
    static final int MIN_KEY_BYTES = 24;
    static final int MAX_KEY_BYTES = 64;

    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    static String generate() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** The HMAC key of a secret (the bytes after the prefix). */
    static byte[] key(String secret) {
        String b64 = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
        byte[] key;
        try {
            key = Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("A webhook secret is whsec_ followed by base64.");
        }
        if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("A webhook secret holds " + MIN_KEY_BYTES + " to " + MAX_KEY_BYTES + " bytes.");
        }
        return key;
    }

    /** What representations show instead of a stored secret. */
    static String mask(String secret) {
        return secret == null ? null : MASKED;
    }
}
