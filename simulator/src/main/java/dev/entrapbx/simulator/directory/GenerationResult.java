package dev.entrapbx.simulator.directory;

import java.time.Duration;

/** Outcome of {@link Directory#generateUsers}: how many users were created and how long it took. */
public record GenerationResult(int created, Duration elapsed, String firstUserPrincipalName) { }
