package dev.entrapbx.directory.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.keycloak.Config;

class WebhookOptionsTest {

    private static final String PREFIX = "entrapbx.webhook.options.test.";

    @AfterEach
    void clear() {
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith(PREFIX)).forEach(System::clearProperty);
    }

    private static WebhookOptions parse() {
        return WebhookOptions.from(new Config.SystemPropertiesScope(PREFIX));
    }

    @Test
    void defaultsWithoutOptions() {
        WebhookOptions o = parse();
        assertThat(o).isEqualTo(WebhookOptions.DEFAULTS);
        assertThat(o.allowPrivateTargets()).isFalse();
        assertThat(o.disableAfterFailures()).isEqualTo(15);
        assertThat(o.backoff()).isEqualTo(new Backoff(1_000, 600_000));
    }

    @Test
    void optionsAreReadUnderTheirDocumentedNames() {
        System.setProperty(PREFIX + "allow-private-targets", "true");
        System.setProperty(PREFIX + "workers", "8");
        System.setProperty(PREFIX + "retry-base-millis", "200");
        System.setProperty(PREFIX + "retry-max-millis", "5000");
        System.setProperty(PREFIX + "disable-after-failures", "5");
        assertThat(parse()).isEqualTo(new WebhookOptions(true, 8, 200, 5000, 5));
        assertThat(WebhookOptions.ALLOW_PRIVATE_TARGETS_OPTION).isEqualTo("--spi-pbx-webhooks--default--allow-private-targets");
    }

    @Test
    void valuesOutOfRangeFallBackToTheDefaults() {
        System.setProperty(PREFIX + "workers", "0");
        System.setProperty(PREFIX + "retry-base-millis", "0");
        System.setProperty(PREFIX + "disable-after-failures", "100000");
        WebhookOptions o = parse();
        assertThat(o.workers()).isEqualTo(4);
        assertThat(o.retryBaseMillis()).isEqualTo(1_000);
        assertThat(o.disableAfterFailures()).isEqualTo(15);
        System.setProperty(PREFIX + "retry-base-millis", "9000");
        System.setProperty(PREFIX + "retry-max-millis", "10");
        assertThat(parse().backoff().maxMillis()).as("the cap never below the base").isGreaterThanOrEqualTo(9000);
    }
}
