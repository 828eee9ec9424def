package dev.entrapbx.directory.webhook;

import java.time.Duration;
import org.keycloak.Config;

/**
 * Server options of the webhook deliveries ({@code --spi-pbx-webhooks--default--<name>}), parsed
 * once at start with their defaults. A value out of range falls back to its default (logged by the
 * factory).
 *
 * @param allowPrivateTargets  webhooks may point at loopback and private addresses (development and tests only)
 * @param workers              deliveries in flight at once on this node
 * @param retryBaseMillis      first retry wait's upper bound (full jitter)
 * @param retryMaxMillis       cap of the retry wait
 * @param disableAfterFailures default run of consecutive failures after which a webhook is disabled
 */
record WebhookOptions(boolean allowPrivateTargets, int workers, long retryBaseMillis, long retryMaxMillis, int disableAfterFailures) {

    static final String SPI = WebhookSpi.NAME;
    static final String PROVIDER = DefaultWebhookServiceFactory.PROVIDER_ID;
    static final String ALLOW_PRIVATE_TARGETS = "allow-private-targets";
    static final String ALLOW_PRIVATE_TARGETS_OPTION = "--spi-" + SPI + "--" + PROVIDER + "--" + ALLOW_PRIVATE_TARGETS;
    static final String WORKERS = "workers";
    static final String RETRY_BASE_MILLIS = "retry-base-millis";
    static final String RETRY_MAX_MILLIS = "retry-max-millis";
    static final String DISABLE_AFTER_FAILURES = "disable-after-failures";

    static final WebhookOptions DEFAULTS = new WebhookOptions(false, 4, 1_000, 600_000, 15);

    /** How often every node looks for due deliveries (besides the nudge after a feed commit). */
    static final long POLL_MILLIS = 1_000;
    /** How long a claimed position stays a node's without progress (a crashed node's claim expires after it). */
    static final long LEASE_MILLIS = 30_000;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(10);
    /** Attempts kept per webhook in the delivery log. */
    static final int LOG_SIZE = 100;
    /** Default overlap of a rotated secret. */
    static final long DEFAULT_OVERLAP_SECONDS = Duration.ofHours(24).toSeconds();
    static final long MAX_OVERLAP_SECONDS = Duration.ofDays(7).toSeconds();
    static final int MAX_DISABLE_AFTER = 1000;

    static WebhookOptions from(Config.Scope c) {
        WebhookOptions d = DEFAULTS;
        int workers = c.getInt(WORKERS, d.workers());
        long base = c.getLong(RETRY_BASE_MILLIS, d.retryBaseMillis());
        long max = c.getLong(RETRY_MAX_MILLIS, d.retryMaxMillis());
        int disable = c.getInt(DISABLE_AFTER_FAILURES, d.disableAfterFailures());
        return new WebhookOptions(c.getBoolean(ALLOW_PRIVATE_TARGETS, false),
                workers >= 1 && workers <= 64 ? workers : d.workers(),
                base >= 1 ? base : d.retryBaseMillis(),
                max >= Math.max(1, base) ? max : Math.max(d.retryMaxMillis(), base),
                disable >= 1 && disable <= MAX_DISABLE_AFTER ? disable : d.disableAfterFailures());
    }

    Backoff backoff() {
        return new Backoff(retryBaseMillis, retryMaxMillis);
    }
}
