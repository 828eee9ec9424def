package dev.entrapbx.sync;

import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.storage.UserStorageProvider;

/**
 * The component instance Keycloak asks for. Users are imported (stored by Keycloak itself, with
 * this component as federation link), so there is nothing to look up live: Entra is read only by
 * the synchronization ({@link EntraUserStorageProviderFactory#sync}), and never written.
 */
public class EntraUserStorageProvider implements UserStorageProvider {

    public EntraUserStorageProvider(KeycloakSession session, ComponentModel model) {
    }

    @Override
    public void close() {
    }
}
