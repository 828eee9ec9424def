package dev.entrapbx.sync.admin;

import dev.entrapbx.kc.StatelessProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/** Mounts {@link EntraSyncAdminResource} at {@code /admin/realms/{realm}/entra-sync}. */
public class EntraSyncAdminResourceProviderFactory implements AdminRealmResourceProviderFactory, AdminRealmResourceProvider,
        StatelessProviderFactory<AdminRealmResourceProvider> {

    public static final String ID = "entra-sync";

    @Override
    public AdminRealmResourceProvider create(KeycloakSession session) {
        return this;
    }

    @Override
    public Object getResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        return new EntraSyncAdminResource(session, realm, auth, adminEvent);
    }

    @Override
    public String getId() {
        return ID;
    }

    /** Also the provider: nothing to release (the factory's lifecycle comes from {@link StatelessProviderFactory}). */
    @Override
    public void close() {
    }
}
