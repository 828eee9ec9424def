package dev.entrapbx.directory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The opaque cursors of the API. Each is bound to its phone system (a tag derived from the
 * Organization id), so a cursor of another phone system is refused instead of silently
 * misread. Feed cursor: {@code <sequence>.<tag>}; page cursor of the full read:
 * {@code <base64url(last user id)>.<tag>}.
 */
final class Cursors {

    private Cursors() {
    }

    static String feed(String organizationId, long seq) {
        return seq + "." + tag(organizationId);
    }

    static String page(String organizationId, String lastUserId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(lastUserId.getBytes(StandardCharsets.UTF_8)) + "." + tag(organizationId);
    }

    /** The sequence a feed cursor stands for; {@code "0"} is the start of the feed. */
    static long parseFeed(String organizationId, String cursor) {
        if ("0".equals(cursor)) {
            return 0;
        }
        String value = value(organizationId, cursor, "after");
        try {
            long seq = Long.parseLong(value);
            if (seq < 0) {
                throw new NumberFormatException();
            }
            return seq;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'after' is not a cursor of this feed: use 0, or a cursor this API returned.");
        }
    }

    /** The last user id a page cursor stands for. */
    static String parsePage(String organizationId, String cursor) {
        String value = value(organizationId, cursor, "cursor");
        try {
            return new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'cursor' is not a cursor of this read: use the 'next' value of the previous page.");
        }
    }

    private static String value(String organizationId, String cursor, String name) {
        int dot = cursor.lastIndexOf('.');
        if (dot <= 0) {
            throw new IllegalArgumentException("'" + name + "' is not a cursor this API returned.");
        }
        if (!cursor.substring(dot + 1).equals(tag(organizationId))) {
            throw new IllegalArgumentException("'" + name + "' is a cursor of another phone system.");
        }
        return cursor.substring(0, dot);
    }

    static String tag(String organizationId) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(organizationId.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(h).substring(0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
