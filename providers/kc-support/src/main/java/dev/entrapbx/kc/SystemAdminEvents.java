package dev.entrapbx.kc;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventStoreProvider;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.AuthDetails;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.util.JsonSerialization;

/**
 * Admin events raised by the server itself (a scheduled check, a sync run), not by an admin's
 * request: stored when the realm saves admin events, and passed to the realm's event listeners.
 * The event's client is "entra-pbx" so admins can filter on it.
 */
public final class SystemAdminEvents {

    public static final String CLIENT_ID = "entra-pbx";

    private SystemAdminEvents() {
    }

    public static void fire(KeycloakSession session, RealmModel realm, String resourceType, String resourcePath,
                            Map<String, String> details) {
        AdminEvent event = new AdminEvent();
        event.setTime(System.currentTimeMillis());
        event.setRealmId(realm.getId());
        event.setRealmName(realm.getName());
        AuthDetails auth = new AuthDetails();
        auth.setRealmId(realm.getId());
        auth.setRealmName(realm.getName());
        auth.setClientId(CLIENT_ID);
        event.setAuthDetails(auth);
        event.setOperationType(OperationType.ACTION);
        event.setResourceTypeAsString(resourceType);
        event.setResourcePath(resourcePath);
        event.setDetails(details);
        try {
            event.setRepresentation(JsonSerialization.writeValueAsString(details));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        if (realm.isAdminEventsEnabled()) {
            session.getProvider(EventStoreProvider.class).onEvent(event, realm.isAdminEventsDetailsEnabled());
        }
        realm.getEventsListenersStream()
                .map(id -> session.getProvider(EventListenerProvider.class, id))
                .filter(Objects::nonNull)
                .forEach(l -> l.onEvent(event, realm.isAdminEventsDetailsEnabled()));
    }
}
