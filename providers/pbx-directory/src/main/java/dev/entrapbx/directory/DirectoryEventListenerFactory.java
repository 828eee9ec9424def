package dev.entrapbx.directory;

import dev.entrapbx.kc.StatelessProviderFactory;
import java.util.Set;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;

/**
 * Profile edits reach the change feed through Keycloak's events: an admin's change to a user
 * (console or admin REST: attributes such as the extension, enabled, names, email) and a user's own
 * (account console, required actions). A global listener: it hears every realm without being
 * added to the realm's event listeners, and needs neither event storage nor admin events switched
 * on. It runs inside the request's transaction, so the feed row commits with the edit.
 */
public class DirectoryEventListenerFactory implements EventListenerProviderFactory, StatelessProviderFactory<EventListenerProvider> {

    public static final String ID = "entra-pbx-directory";

    /** User events after which the user's profile may differ. */
    private static final Set<EventType> PROFILE_EVENTS = Set.of(EventType.UPDATE_PROFILE, EventType.UPDATE_EMAIL, EventType.VERIFY_EMAIL,
            EventType.DELETE_ACCOUNT, EventType.REGISTER);

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        return new EventListenerProvider() {
            @Override
            public void onEvent(Event event) {
                if (event.getUserId() != null && PROFILE_EVENTS.contains(event.getType())) {
                    FeedWriter.of(session).touchUser(event.getUserId());
                }
            }

            @Override
            public void onEvent(AdminEvent event, boolean includeRepresentation) {
                String userId = userId(event);
                if (userId != null) {
                    FeedWriter.of(session).touchUser(userId);
                }
            }

            @Override
            public void close() {
            }
        };
    }

    /** The user an admin event is about, for user changes ({@code users/{id}} and below). */
    static String userId(AdminEvent event) {
        if (event.getResourceType() != ResourceType.USER && event.getResourceType() != ResourceType.GROUP_MEMBERSHIP) {
            return null;
        }
        if (event.getOperationType() == OperationType.ACTION && event.getResourceType() == ResourceType.USER
                && event.getResourcePath() != null && event.getResourcePath().contains("/reset-password")) {
            return null;
        }
        String path = event.getResourcePath();
        if (path == null || !path.startsWith("users/")) {
            return null;
        }
        String rest = path.substring("users/".length());
        int slash = rest.indexOf('/');
        String id = slash < 0 ? rest : rest.substring(0, slash);
        return id.isEmpty() ? null : id;
    }

    @Override
    public boolean isGlobal() {
        return true;
    }

    @Override
    public String getId() {
        return ID;
    }
}
