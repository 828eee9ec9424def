package dev.entrapbx.kc;

import java.util.List;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderEvent;

/**
 * "The presence of these members of this phone system changed": published by the presence module in
 * the transaction that stored the new states. The PBX directory records one {@code presence.changed}
 * row per member in its change feed in that same transaction, replacing the member's earlier
 * presence rows (presence is coalesced per user: a consumer that is behind gets the latest state
 * once, not every state in between). Without the directory nobody listens.
 *
 * @param changes the new states, by Keycloak user id
 */
public record PresenceTouched(KeycloakSession session, String realmId, String organizationId, List<Change> changes) implements ProviderEvent {

    /** {@code json}: the member's presence as {@code GET .../presence} lists it. */
    public record Change(String userId, String json) {
    }

    public PresenceTouched {
        changes = List.copyOf(changes);
    }

    public static void publish(KeycloakSession session, String realmId, String organizationId, List<Change> changes) {
        if (organizationId == null || changes.isEmpty()) {
            return;
        }
        session.getKeycloakSessionFactory().publish(new PresenceTouched(session, realmId, organizationId, changes));
    }
}
