package dev.entrapbx.kc;

import java.util.List;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderEvent;

/**
 * "These contacts of this phone system changed": published by the contacts sync in the transaction
 * that wrote them. The PBX directory records them in its change feed in that same transaction, as it
 * does for members ({@link DirectoryTouched}); without the directory nobody listens.
 *
 * @param changes what changed, by contact id
 */
public record ContactsTouched(KeycloakSession session, String realmId, String organizationId, List<Change> changes) implements ProviderEvent {

    /** {@code type}: added, updated or removed; {@code source}: personal, company or organization; {@code ownerId}: personal only. */
    public record Change(String contactId, String type, String source, String ownerId) {
    }

    public ContactsTouched {
        changes = List.copyOf(changes);
    }

    public static void publish(KeycloakSession session, String realmId, String organizationId, List<Change> changes) {
        if (organizationId == null || changes.isEmpty()) {
            return;
        }
        session.getKeycloakSessionFactory().publish(new ContactsTouched(session, realmId, organizationId, changes));
    }
}
