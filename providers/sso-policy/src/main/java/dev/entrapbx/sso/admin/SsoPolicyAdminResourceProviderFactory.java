package dev.entrapbx.sso.admin;

import dev.entrapbx.kc.StatelessProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/** Mounts {@link SsoPolicyAdminResource} at {@code /admin/realms/{realm}/sso-policy}. */
public class SsoPolicyAdminResourceProviderFactory implements AdminRealmResourceProviderFactory, AdminRealmResourceProvider,
        StatelessProviderFactory<AdminRealmResourceProvider> {

    public static final String ID = "sso-policy";

    @Override
    public AdminRealmResourceProvider create(KeycloakSession session) {
        return this;
    }

    @Override
    public Object getResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        return new SsoPolicyAdminResource(session, realm, auth, adminEvent);
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
