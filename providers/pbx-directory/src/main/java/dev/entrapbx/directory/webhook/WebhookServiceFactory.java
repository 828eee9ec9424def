package dev.entrapbx.directory.webhook;

import org.keycloak.provider.ProviderFactory;

/** Factory type of the {@link WebhookSpi}. */
public interface WebhookServiceFactory extends ProviderFactory<WebhookService> {

    /** Looks for due deliveries now (a feed transaction just committed on this node). */
    void nudge();
}
