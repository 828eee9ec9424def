package dev.entrapbx.harness;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waiting for a condition by polling it, with a deadline: what tests and tools do instead of a
 * fixed sleep. The probe runs at once, then after 50 ms, doubling up to 200 ms between probes.
 */
public final class Poll {

    private static final Duration FIRST_PAUSE = Duration.ofMillis(50);
    private static final Duration MAX_PAUSE = Duration.ofMillis(200);

    private Poll() {
    }

    /** The probe's first present answer, or empty when {@code timeout} passed without one. */
    public static <T> Optional<T> first(Duration timeout, Supplier<Optional<T>> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = FIRST_PAUSE.toMillis();
        while (true) {
            Optional<T> answer = probe.get();
            if (answer.isPresent()) {
                return answer;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            try {
                Thread.sleep(Math.min(pause, Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting", e);
            }
            pause = Math.min(pause * 2, MAX_PAUSE.toMillis());
        }
    }

    /** True as soon as the condition holds; false when {@code timeout} passed first. */
    public static boolean until(Duration timeout, BooleanSupplier condition) {
        return first(timeout, () -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.<Boolean>empty()).isPresent();
    }
}
