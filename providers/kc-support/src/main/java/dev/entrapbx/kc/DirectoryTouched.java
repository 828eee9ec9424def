package dev.entrapbx.kc;

import java.util.Collection;
import java.util.List;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderEvent;

/**
 * "These members of this phone system may have changed": published by writers that bypass
 * Keycloak's own events (the sync inserts users in bulk, its photo step writes its own table), in
 * the transaction that made the change. The PBX directory listens and records what really changed
 * in that same transaction (its change feed is an outbox); with the directory not installed,
 * nobody listens and publishing costs nothing.
 *
 * @param session         the session whose transaction made the change
 * @param realmId         the realm
 * @param organizationId  the Organization (phone system) whose members these are, or were
 * @param userIds         Keycloak user ids (users that no longer exist are fine: they were deleted)
 */
public record DirectoryTouched(KeycloakSession session, String realmId, String organizationId, List<String> userIds)
        implements ProviderEvent {

    public DirectoryTouched {
        userIds = List.copyOf(userIds);
    }

    /** Publishes to the session's factory (synchronously: listeners run inside the caller's transaction). */
    public static void publish(KeycloakSession session, String realmId, String organizationId, Collection<String> userIds) {
        if (organizationId == null || userIds.isEmpty()) {
            return;
        }
        session.getKeycloakSessionFactory().publish(new DirectoryTouched(session, realmId, organizationId, List.copyOf(userIds)));
    }
}
