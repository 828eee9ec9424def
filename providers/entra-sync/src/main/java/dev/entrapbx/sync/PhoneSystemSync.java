package dev.entrapbx.sync;

import dev.entrapbx.core.EntraIdpKeys;
import dev.entrapbx.graph.RetryPolicy;
import dev.entrapbx.sync.graph.GraphDirectory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.storage.UserStorageProvider;

/**
 * What the capabilities built on a phone system's user sync (presence, change notifications) read
 * from it, in one place: its components, its Organization, its Entra connection (the server's one
 * {@link dev.entrapbx.core.AppTokens}, the retry layer) and the users it synced.
 */
public final class PhoneSystemSync {

    private PhoneSystemSync() {
    }

    /** The realm's {@code entra-users} components. */
    public static Stream<ComponentModel> components(RealmModel realm) {
        return realm.getComponentsStream(realm.getId(), UserStorageProvider.class.getName())
                .filter(c -> EntraIdpKeys.USER_SYNC_PROVIDER_ID.equals(c.getProviderId()));
    }

    /** The Entra user sync bound to this Organization (its setting names the alias or the id), if any. */
    public static Optional<ComponentModel> ofOrganization(RealmModel realm, String organizationId, String organizationAlias) {
        return ofOrganization(components(realm).toList(), organizationId, organizationAlias);
    }

    /** {@link #ofOrganization(RealmModel, String, String)} among {@code components} read once (a page of Organizations). */
    public static Optional<ComponentModel> ofOrganization(List<ComponentModel> components, String organizationId, String organizationAlias) {
        return components.stream().filter(c -> {
            String ref = c.get(EntraSyncConfig.ORGANIZATION);
            return ref != null && (ref.trim().equals(organizationAlias) || ref.trim().equals(organizationId));
        }).findFirst();
    }

    public static EntraUserStorageProviderFactory factory(KeycloakSessionFactory sessions) {
        return (EntraUserStorageProviderFactory) sessions.getProviderFactory(UserStorageProvider.class, EntraUserStorageProviderFactory.PROVIDER_ID);
    }

    /** The component's Organization and Graph connection, resolved in {@code session} (bound to {@code realm}). */
    public record Link(OrganizationModel organization, EntraConnection connection, GraphDirectory graph) {
    }

    /**
     * @param policy the retries of this use (a background job's, or a request's that must answer soon)
     * @throws IllegalArgumentException with what to fix when the component cannot connect
     */
    public static Link link(KeycloakSession session, RealmModel realm, ComponentModel model, RetryPolicy policy) {
        EntraSyncConfig config = new EntraSyncConfig(model);
        OrganizationModel org = SyncTarget.organization(session, realm, config);
        Optional<IdentityProviderModel> idp = EntraConnection.linkedIdentityProvider(session, config, org);
        EntraUserStorageProviderFactory factory = factory(session.getKeycloakSessionFactory());
        EntraConnection connection = EntraConnection.resolve(session, realm, config, idp, factory.settings().allowAuthorityOverride());
        return new Link(org, connection, connection.directory(factory.tokens(), policy));
    }

    /** The server's retry policy for background Graph work ({@code --spi-storage--entra-users--graph-*}). */
    public static RetryPolicy backgroundPolicy(KeycloakSessionFactory sessions) {
        return factory(sessions).settings().retryPolicy();
    }

    /** The enabled users the component synced: Entra object id to Keycloak user id. */
    public static Map<String, String> enabledUsers(KeycloakSession session, String realmId, String componentId) {
        Map<String, String> out = new HashMap<>();
        LocalUsers.synced(RealmJobs.em(session), realmId, componentId).forEach((oid, u) -> {
            if (u.enabled()) {
                out.put(oid, u.userId());
            }
        });
        return out;
    }
}
