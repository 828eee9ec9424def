package dev.entrapbx.onboarding;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One onboarding invitation as stored: the customer's name and email domains, the Organization made
 * for it, the extension range its sync will hand out, when the link expires, and, once the customer's
 * admin consented, the tenant with the identity provider and sync that link it. Never holds the
 * link's secret or the consent state, only their hashes.
 */
public record Invitation(String id, String realmId, String organizationId, String name, List<String> domains,
                         Optional<String> extensionRange, Status status, Instant createdAt, Optional<String> createdBy,
                         Instant expiresAt, Optional<Instant> claimedAt, Optional<Instant> linkedAt, Optional<String> tenantId,
                         Optional<String> pastTenantId, Optional<String> idpAlias, Optional<String> componentId,
                         Optional<String> runId, Optional<String> detail, Optional<Instant> offboardedAt) {

    /** Where an invitation stands. */
    public enum Status {
        /** Created; its link opens the consent page until it expires. */
        PENDING,
        /** A consent came back and is being linked (at most {@link InvitationStore#CLAIM_TIMEOUT} long). */
        LINKING,
        /** Linked: the Organization signs in through its tenant and syncs its users. */
        LINKED,
        /** Withdrawn by a partner admin before it was used. */
        CANCELLED,
        /** The customer was offboarded: identity provider and sync removed. */
        OFFBOARDED
    }

    /** PENDING, or LINKING by a claim that timed out (its node died while linking): the link may be used again. */
    public boolean isUsable(Instant now) {
        return (status == Status.PENDING || status == Status.LINKING && claimedAt.map(c -> c.isBefore(now.minus(InvitationStore.CLAIM_TIMEOUT)))
                .orElse(true)) && now.isBefore(expiresAt);
    }

    /** PENDING past its expiry: what the admin sees as "expired". */
    public boolean isExpired(Instant now) {
        return status == Status.PENDING && !now.isBefore(expiresAt);
    }

    /** The status an admin reads: EXPIRED for a pending invitation past its time. */
    public String shownStatus(Instant now) {
        return isExpired(now) ? "EXPIRED" : status.name();
    }
}
