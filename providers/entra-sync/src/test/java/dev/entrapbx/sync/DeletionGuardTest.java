package dev.entrapbx.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeletionGuardTest {

    @Test
    void nothingToRemoveNeverTrips() {
        assertThat(DeletionGuard.trips(0, 0, 1, 1)).isFalse();
        assertThat(DeletionGuard.trips(0, 100, 1, 1)).isFalse();
    }

    @Test
    void moreThanTheMaximumNumberTrips() {
        assertThat(DeletionGuard.trips(50, 100_000, 50, 0)).isFalse();
        assertThat(DeletionGuard.trips(51, 100_000, 50, 0)).isTrue();
    }

    @Test
    void thePercentageCountsFromFiveUsersUp() {
        assertThat(DeletionGuard.trips(4, 10, 0, 10)).as("a small customer's leavers").isFalse();
        assertThat(DeletionGuard.trips(5, 50, 0, 10)).as("exactly 10%").isFalse();
        assertThat(DeletionGuard.trips(6, 50, 0, 10)).isTrue();
        assertThat(DeletionGuard.trips(5, 0, 0, 10)).as("nothing synced yet").isFalse();
    }

    @Test
    void zeroSwitchesALimitOff() {
        assertThat(DeletionGuard.trips(10_000, 10_000, 0, 0)).isFalse();
        assertThat(DeletionGuard.trips(100, 100, 0, 10)).isTrue();
        assertThat(DeletionGuard.trips(100, 100, 50, 0)).isTrue();
    }

    @Test
    void theLimitsAndTheMessageSayWhatHappenedAndHowToConfirm() {
        assertThat(DeletionGuard.describe(50, 10)).isEqualTo("more than 50 users or more than 10% (from 5 users up)");
        assertThat(DeletionGuard.describe(50, 0)).isEqualTo("more than 50 users");
        assertThat(DeletionGuard.describe(0, 10)).isEqualTo("more than 10% (from 5 users up)");
        assertThat(DeletionGuard.describe(0, 0)).isEqualTo("off");
        assertThat(DeletionGuard.message(60, 200, 50, 10, "c-1")).isEqualTo("Accidental-delete guard: this run would disable or "
                + "delete 60 of 200 synced users (limits: more than 50 users or more than 10% (from 5 users up)), so none of that "
                + "was done and the delta link was kept. If Entra really lost these users, confirm once "
                + "(POST .../entra-sync/c-1/guard/confirm) and sync again.");
    }
}
