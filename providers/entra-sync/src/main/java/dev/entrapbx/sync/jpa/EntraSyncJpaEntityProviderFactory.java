package dev.entrapbx.sync.jpa;

import dev.entrapbx.kc.Db;
import dev.entrapbx.kc.OwnTables;
import dev.entrapbx.sync.contacts.ContactStore;
import jakarta.persistence.EntityManager;
import java.util.List;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Our tables (extensions, sync state, run log, photos, contacts) in Keycloak's database, created by
 * our Liquibase changelog. Rows go with what they belong to: a removed realm takes all of its rows, a
 * removed user its photo and personal contacts, a removed Organization its phone system's contacts
 * (the extension is released by the sync, which knows the quarantine).
 */
public class EntraSyncJpaEntityProviderFactory implements OwnTables {

    public static final String ID = "entra-pbx-sync";

    @Override
    public String changelog() {
        return "META-INF/entra-pbx-sync-changelog.xml";
    }

    @Override
    public List<Class<?>> entities() {
        return List.of(ExtensionEntity.class, SyncStateEntity.class, SyncRunEntity.class, SyncRunErrorEntity.class, UserPhotoEntity.class);
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof RealmModel.RealmRemovedEvent e) {
                removeRealm(e.getKeycloakSession(), e.getRealm().getId());
            } else if (event instanceof UserModel.UserPreRemovedEvent e) {
                em(e.getKeycloakSession()).createNamedQuery("EntraPbxUserPhoto.deleteByUsers")
                        .setParameter("users", List.of(e.getUser().getId())).executeUpdate();
                Db.run(e.getKeycloakSession(), "Contacts", db -> {
                    ContactStore.deleteOwner(db, e.getUser().getId());
                    return null;
                });
            } else if (event instanceof OrganizationModel.OrganizationRemovedEvent e) {
                Db.run(e.getKeycloakSession(), "Contacts", db -> {
                    ContactStore.deleteOrganization(db, e.getOrganization().getId());
                    return null;
                });
            }
        });
    }

    private static void removeRealm(KeycloakSession session, String realmId) {
        EntityManager em = em(session);
        for (String query : List.of("EntraPbxSyncError.deleteByRealm", "EntraPbxSyncRun.deleteByRealm", "EntraPbxSyncState.deleteByRealm",
                "EntraPbxExtension.deleteByRealm", "EntraPbxUserPhoto.deleteByRealm")) {
            em.createNamedQuery(query).setParameter("realm", realmId).executeUpdate();
        }
        Db.run(session, "Contacts", db -> {
            ContactStore.deleteRealm(db, realmId);
            return null;
        });
    }

    private static EntityManager em(KeycloakSession session) {
        return session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }
}
