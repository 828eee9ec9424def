package dev.entrapbx.directory.webhook;

import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakTransaction;
import org.keycloak.provider.ProviderFactory;

/** After a feed transaction commits, the webhook deliveries of this node look for due rows at once (no wait for the timer). */
public final class WebhookNudge {

    private WebhookNudge() {
    }

    /** An after-completion transaction that nudges on commit and does nothing on rollback. */
    public static KeycloakTransaction afterCommit(KeycloakSession session) {
        return new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                ProviderFactory<WebhookService> f = session.getKeycloakSessionFactory().getProviderFactory(WebhookService.class);
                if (f instanceof WebhookServiceFactory w) {
                    w.nudge();
                }
            }

            @Override
            protected void rollbackImpl() {
            }
        };
    }
}
