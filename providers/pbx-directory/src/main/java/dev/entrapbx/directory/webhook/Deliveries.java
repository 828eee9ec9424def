package dev.entrapbx.directory.webhook;

import dev.entrapbx.directory.ChangeFeed;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one delivery is: its Standard Webhooks message id (the same for every attempt of one feed
 * row to one webhook) and its JSON body.
 */
final class Deliveries {

    private Deliveries() {
    }

    /** {@code msg_} + 27 base64url characters of SHA-256(webhook, phone system, sequence). */
    static String messageId(String webhookId, String organizationId, long seq) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((webhookId + "/" + organizationId + "/" + seq).getBytes(StandardCharsets.UTF_8));
            return "msg_" + Base64.getUrlEncoder().withoutPadding().encodeToString(h).substring(0, 27);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code {"type", "timestamp", "data": {"phoneSystem": {"id", "alias"}, ...the feed row as the API renders it}}};
     * the timestamp is when the change was committed.
     */
    static byte[] body(String organizationId, String alias, ChangeFeed.Row row, Map<String, Object> rendered) {
        Map<String, Object> phoneSystem = new LinkedHashMap<>();
        phoneSystem.put("id", organizationId);
        phoneSystem.put("alias", alias);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("phoneSystem", phoneSystem);
        data.putAll(rendered);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", row.type());
        body.put("timestamp", Instant.ofEpochMilli(row.createdAt()).toString());
        body.put("data", data);
        return ChangeFeed.json(body).getBytes(StandardCharsets.UTF_8);
    }
}
