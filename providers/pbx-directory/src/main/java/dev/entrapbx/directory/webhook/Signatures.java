package dev.entrapbx.directory.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Standard Webhooks signature ({@code webhook-signature}): {@code v1,} + base64 of
 * HMAC-SHA256 over {@code <webhook-id>.<webhook-timestamp>.<body>}, keyed with the secret's bytes.
 * While a rotated secret overlaps, one signature per secret, separated by a space.
 */
final class Signatures {

    private Signatures() {
    }

    static String header(String messageId, long timestampSeconds, byte[] body, List<String> secrets) {
        List<String> parts = new ArrayList<>(secrets.size());
        for (String s : secrets) {
            parts.add("v1," + sign(Secrets.key(s), messageId, timestampSeconds, body));
        }
        return String.join(" ", parts);
    }

    static String sign(byte[] key, String messageId, long timestampSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((messageId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available: " + e.getMessage(), e);
        }
    }
}
