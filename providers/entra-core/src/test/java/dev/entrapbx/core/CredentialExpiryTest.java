package dev.entrapbx.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class CredentialExpiryTest {

    private final CredentialExpiry expiry = CredentialExpiry.onDate(LocalDate.of(2027, 12, 31));

    @Test
    void validUntilThirtyDaysBefore() {
        assertThat(expiry.state(Instant.parse("2027-11-30T23:59:59Z"))).isEqualTo(CredentialExpiry.State.VALID);
        assertThat(expiry.state(Instant.parse("2027-12-01T00:00:00Z"))).isEqualTo(CredentialExpiry.State.EXPIRING_SOON);
        assertThat(expiry.daysLeft(Instant.parse("2027-12-01T00:00:00Z"))).isEqualTo(30);
    }

    @Test
    void expiredFromTheStartOfTheTypedDay() {
        assertThat(expiry.state(Instant.parse("2027-12-30T23:59:59Z"))).isEqualTo(CredentialExpiry.State.EXPIRING_SOON);
        assertThat(expiry.daysLeft(Instant.parse("2027-12-30T12:00:00Z"))).isZero();
        assertThat(expiry.state(Instant.parse("2027-12-31T00:00:00Z"))).isEqualTo(CredentialExpiry.State.EXPIRED);
        assertThat(expiry.daysLeft(Instant.parse("2028-01-02T00:00:00Z"))).isEqualTo(-2);
    }
}
