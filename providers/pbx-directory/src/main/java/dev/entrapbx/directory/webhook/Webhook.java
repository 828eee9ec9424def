package dev.entrapbx.directory.webhook;

import java.util.ArrayList;
import java.util.List;

/**
 * A registered webhook as stored. {@code organizationId} null: every phone system of the realm.
 * The secrets are never part of {@link #toString()}.
 */
record Webhook(String id, String realmId, String organizationId, String url, String description, boolean enabled,
               String disabledReason, Long disabledAt, int maxFailures, String secret, String previousSecret, Long previousUntil,
               String baseUrl, long createdAt) {

    /** The secrets deliveries are signed with now: the current one, and the previous one during its overlap. */
    List<String> signingSecrets(long now) {
        List<String> out = new ArrayList<>(2);
        out.add(secret);
        if (previousSecret != null && previousUntil != null && now < previousUntil) {
            out.add(previousSecret);
        }
        return out;
    }

    Webhook withSettings(String url, String description, boolean enabled, int maxFailures, String baseUrl) {
        return new Webhook(id, realmId, organizationId, url, description, enabled, enabled ? null : disabledReason,
                enabled ? null : disabledAt, maxFailures, secret, previousSecret, previousUntil, baseUrl, createdAt);
    }

    Webhook rotated(String newSecret, long previousUntil) {
        return new Webhook(id, realmId, organizationId, url, description, enabled, disabledReason, disabledAt, maxFailures, newSecret,
                previousUntil > 0 ? secret : null, previousUntil > 0 ? previousUntil : null, baseUrl, createdAt);
    }

    @Override
    public String toString() {
        return "Webhook[id=" + id + ", realmId=" + realmId + ", organizationId=" + organizationId + ", url=" + url + ", enabled=" + enabled
                + ", disabledReason=" + disabledReason + ", maxFailures=" + maxFailures + ", secret=" + Secrets.mask(secret)
                + ", previousSecret=" + Secrets.mask(previousSecret) + ", previousUntil=" + previousUntil + "]";
    }
}
