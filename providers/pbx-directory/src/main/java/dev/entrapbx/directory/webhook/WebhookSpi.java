package dev.entrapbx.directory.webhook;

import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/**
 * SPI {@value #NAME}: the PBX directory's webhook deliveries, with their server options
 * ({@code --spi-pbx-webhooks--default--<option>}, see {@link WebhookOptions}).
 */
public class WebhookSpi implements Spi {

    public static final String NAME = "pbx-webhooks";

    @Override
    public boolean isInternal() {
        return false;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public Class<? extends Provider> getProviderClass() {
        return WebhookService.class;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return WebhookServiceFactory.class;
    }
}
