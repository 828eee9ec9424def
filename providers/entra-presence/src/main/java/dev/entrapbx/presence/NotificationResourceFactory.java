package dev.entrapbx.presence;

import dev.entrapbx.kc.RealmResourceFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * Realm resource {@code /realms/{realm}/entra-notifications} ({@link NotificationResource}), and the
 * owner of this node's {@link PresenceService}, started once the database is migrated. Options:
 * {@code --spi-realm-restapi-extension--entra-notifications--<option>}.
 */
public class NotificationResourceFactory implements RealmResourceFactory {

    public static final String PROVIDER_ID = UserChanges.PATH;

    private PresenceService.Options options = PresenceService.Options.DEFAULTS;
    private volatile PresenceService service;

    @Override
    public Object resource(KeycloakSession session) {
        return new NotificationResource(session, service(session.getKeycloakSessionFactory()));
    }

    /** This node's presence service (for the PBX directory's presence endpoints). */
    public static PresenceService service(KeycloakSessionFactory sessions) {
        NotificationResourceFactory f = (NotificationResourceFactory) sessions.getProviderFactory(
                org.keycloak.services.resource.RealmResourceProvider.class, PROVIDER_ID);
        if (f == null || f.service == null) {
            throw new IllegalStateException("the presence service has not started yet");
        }
        return f.service;
    }

    @Override
    public void init(Config.Scope config) {
        PresenceService.Options d = PresenceService.Options.DEFAULTS;
        options = new PresenceService.Options(Math.max(100, config.getLong("tick-millis", d.tickMillis())),
                Duration.ofSeconds(Math.max(1, config.getLong("subscription-check-seconds", d.subscriptionCheck().toSeconds()))),
                Math.max(1, config.getInt("workers", d.workers())), Math.max(1, config.getInt("pushers", d.pushers())),
                Duration.ofSeconds(Math.max(1, config.getLong("push-retry-seconds", d.pushRetry().toSeconds()))));
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof PostMigrationEvent && service == null) {
                PresenceService s = new PresenceService(factory, options, Clock.systemUTC());
                service = s;
                s.start();
            }
        });
    }

    @Override
    public void close() {
        if (service != null) {
            service.close();
        }
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create()
                .property().name("tick-millis").type("int").defaultValue(PresenceService.Options.DEFAULTS.tickMillis())
                .helpText("How often this node looks for due presence polls, subscription checks and notification-started syncs.").add()
                .property().name("subscription-check-seconds").type("int")
                .defaultValue(PresenceService.Options.DEFAULTS.subscriptionCheck().toSeconds())
                .helpText("How often each user-change subscription is checked at Graph (and renewed when half its life is over).").add()
                .property().name("workers").type("int").defaultValue(PresenceService.Options.DEFAULTS.workers())
                .helpText("Threads of this node for presence polls and subscription work.").add()
                .property().name("pushers").type("int").defaultValue(PresenceService.Options.DEFAULTS.pushers())
                .helpText("Threads of this node giving the PBX's call states to Teams (setPresence / clearPresence calls at once).").add()
                .property().name("push-retry-seconds").type("int").defaultValue(PresenceService.Options.DEFAULTS.pushRetry().toSeconds())
                .helpText("A PBX call state Graph refused is given to Graph again this many seconds later, while it is still the latest.").add()
                .build();
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
