package dev.entrapbx.directory.webhook;

import org.keycloak.provider.Provider;

/** The webhook deliveries as a session sees them: the server options the admin resource checks URLs with. */
public interface WebhookService extends Provider {

    /** The URL check with this server's options. */
    TargetCheck targets();

    /** The server options. */
    WebhookOptions options();

    @Override
    default void close() {
    }
}
