package dev.entrapbx.sync.console;

import dev.entrapbx.kc.RealmResourceFactory;
import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;

/**
 * Realm resource {@code /realms/{realm}/entra-pbx-console/}: the "Microsoft 365 customers" page
 * ({@link ConsoleResource}), where a partner admin sees every customer's Entra connection and sync
 * and acts on them. It signs the admin in with the realm's public client {@value ConsoleClient#CLIENT_ID},
 * which is created in every realm (at start and with each new realm) unless
 * {@code --spi-realm-restapi-extension--entra-pbx-console--client=false}.
 */
public class ConsoleResourceFactory implements RealmResourceFactory {

    private static final Logger LOG = Logger.getLogger(ConsoleResourceFactory.class);

    public static final String PROVIDER_ID = "entra-pbx-console";
    public static final String CLIENT_OPTION = "client";

    private boolean createClients = true;

    @Override
    public Object resource(KeycloakSession session) {
        return new ConsoleResource(session);
    }

    @Override
    public void init(Config.Scope config) {
        createClients = config.getBoolean(CLIENT_OPTION, true);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        if (!createClients) {
            return;
        }
        factory.register(event -> {
            if (event instanceof PostMigrationEvent) {
                KeycloakModelUtils.runJobInTransaction(factory, s -> s.realms().getRealmsStream().toList()
                        .forEach(r -> ensure(s, r)));
            } else if (event instanceof RealmModel.RealmPostCreateEvent created) {
                ensure(created.getKeycloakSession(), created.getCreatedRealm());
            }
        });
    }

    private static void ensure(KeycloakSession session, RealmModel realm) {
        try {
            ConsoleClient.ensure(session, realm);
        } catch (RuntimeException e) {
            LOG.warnf(e, "Realm '%s': the client %s of the Microsoft 365 customers page was not created", realm.getName(),
                    ConsoleClient.CLIENT_ID);
        }
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
