package dev.entrapbx.sync;

import java.util.List;
import org.jboss.logging.Logger;
import org.keycloak.component.ComponentModel;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.storage.UserStorageProvider;
import org.keycloak.storage.user.UserRegistrationProvider;

/**
 * The component instance Keycloak asks for. Users are imported (stored by Keycloak itself, with
 * this component as federation link), so there is nothing to look up live: Entra is read only by
 * the synchronization ({@link EntraUserStorageProviderFactory#sync}), and never written.
 *
 * <p><b>Deleting a synced user</b> (admin console, admin REST) deletes it in Keycloak, as Keycloak's
 * read-only LDAP federation does: Entra is not written, so a user still in the sync's scope is
 * imported again by the next full sync (or the next changed sync that sees a change of it in
 * Entra). Its extension goes into quarantine as after any removal, so the same person gets the same
 * number back and nobody else gets it meanwhile; its photo and personal contacts go with it; the
 * directory's feed records {@code user.removed}. To keep a person out, remove them in Entra or from
 * the sync's scope. Without this, Keycloak answered only "User couldn't be deleted".
 */
public class EntraUserStorageProvider implements UserStorageProvider, UserRegistrationProvider {

    private static final Logger LOG = Logger.getLogger(EntraUserStorageProvider.class);

    private final KeycloakSession session;
    private final ComponentModel model;

    public EntraUserStorageProvider(KeycloakSession session, ComponentModel model) {
        this.session = session;
        this.model = model;
    }

    /** Users are created in Entra and imported, never created here: Keycloak stores a new user locally. */
    @Override
    public UserModel addUser(RealmModel realm, String username) {
        return null;
    }

    /** A synced user deleted in Keycloak: its extension into quarantine; Keycloak deletes the user itself. */
    @Override
    public boolean removeUser(RealmModel realm, UserModel user) {
        String oid = user.getFirstAttribute(EntraUserMapper.ATTR_OID);
        if (oid == null) {
            return true;
        }
        EntraSyncConfig config = new EntraSyncConfig(model);
        try {
            OrganizationModel org = SyncTarget.organization(session, realm, config);
            ExtensionAllocator.release(session.getProvider(JpaConnectionProvider.class).getEntityManager(), org.getId(), List.of(oid),
                    config.quarantine(), System.currentTimeMillis());
        } catch (IllegalArgumentException e) {
            LOG.debugf("synced user %s deleted; its organization is gone (%s), so is its extension", user.getId(), e.getMessage());
        }
        return true;
    }

    @Override
    public void close() {
    }
}
