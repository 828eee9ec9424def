package dev.entrapbx.core;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * When an Entra credential (client secret or certificate) stops working, and what that means now:
 * valid, expiring within the warning window (30 days: warnings start then), or expired.
 */
public record CredentialExpiry(Instant expiresAt) {

    public static final Duration WARNING_WINDOW = Duration.ofDays(30);

    public enum State { VALID, EXPIRING_SOON, EXPIRED }

    public CredentialExpiry {
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** A date typed by an admin: the credential is treated as expired from the start of that day (UTC). */
    public static CredentialExpiry onDate(LocalDate date) {
        return new CredentialExpiry(date.atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    public State state(Instant now) {
        if (!now.isBefore(expiresAt)) {
            return State.EXPIRED;
        }
        return now.plus(WARNING_WINDOW).isBefore(expiresAt) ? State.VALID : State.EXPIRING_SOON;
    }

    /** Whole days until expiry (0 on the last day, negative once expired). */
    public long daysLeft(Instant now) {
        long seconds = Duration.between(now, expiresAt).getSeconds();
        return Math.floorDiv(seconds, 86_400L);
    }
}
