package dev.entrapbx.presence;

import dev.entrapbx.kc.Db;
import dev.entrapbx.kc.OwnTables;
import java.util.List;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * The presence tables (Liquibase changelog, plain JDBC: {@link PresenceStore}, {@link GraphJobs},
 * {@link UserChanges}) and their clean-up when a user, an Organization or a realm is removed, in the
 * transaction that removes it. Job rows of a removed sync component go at the next sweep
 * ({@link PresenceService}).
 */
public class PresenceTables implements OwnTables {

    public static final String ID = "entra-pbx-presence";

    @Override
    public String changelog() {
        return "META-INF/entra-pbx-presence-changelog.xml";
    }

    @Override
    public List<Class<?>> entities() {
        return List.of();
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof UserModel.UserRemovedEvent e) {
                delete(e.getKeycloakSession(), "USER_ID", e.getUser().getId());
            } else if (event instanceof OrganizationModel.OrganizationRemovedEvent e) {
                delete(e.getKeycloakSession(), "ORG_ID", e.getOrganization().getId());
            } else if (event instanceof RealmModel.RealmRemovedEvent e) {
                delete(e.getKeycloakSession(), "REALM_ID", e.getRealm().getId());
                Db.run(e.getKeycloakSession(), "Presence", db -> db.update("DELETE FROM #ENTRAPBX_SUBSCRIPTION WHERE REALM_ID = ?", e.getRealm().getId()));
            }
        });
    }

    private static void delete(KeycloakSession session, String column, String value) {
        Db.run(session, "Presence", db -> {
            PresenceStore.delete(db, column, value);
            return null;
        });
    }
}
