package dev.entrapbx.directory.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A webhook as admin REST shows it. {@code secret} is the full signing secret only in the answers
 * to create and rotate-secret; everywhere else (and in admin events and {@link #toString()}) it is
 * masked. {@code phoneSystem} null: every phone system of the realm.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record WebhookRepresentation(String id, String url, PhoneSystemRef phoneSystem, String description, boolean enabled,
                                    String disabledReason, String disabledAt, int disableAfterFailures, String secret,
                                    String previousSecretValidUntil, String createdAt, List<PositionRepresentation> positions) {

    /** A phone system (Organization) by id and alias. */
    public record PhoneSystemRef(String id, String alias) {
    }

    /**
     * Where the webhook stands in one phone system's feed.
     *
     * @param deliveredCursor the feed cursor of the last change delivered (acknowledged with a 2xx)
     * @param pending         changes committed and not yet delivered
     * @param failures        consecutive failed attempts of the next change
     * @param nextAttemptAt   when the next attempt is due (null: as soon as there is a change)
     */
    public record PositionRepresentation(PhoneSystemRef phoneSystem, String deliveredCursor, long pending, int failures, String nextAttemptAt) {
    }

    /** The same webhook with its secret masked. */
    public WebhookRepresentation masked() {
        return new WebhookRepresentation(id, url, phoneSystem, description, enabled, disabledReason, disabledAt, disableAfterFailures,
                Secrets.mask(secret), previousSecretValidUntil, createdAt, positions);
    }

    @Override
    public String toString() {
        return "WebhookRepresentation[id=" + id + ", url=" + url + ", phoneSystem=" + phoneSystem + ", enabled=" + enabled + ", secret="
                + Secrets.mask(secret) + "]";
    }
}
