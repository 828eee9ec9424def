package dev.entrapbx.sync.admin;

import dev.entrapbx.core.AppTokens;
import dev.entrapbx.graph.GraphException;
import dev.entrapbx.sync.EntraConnection;
import dev.entrapbx.sync.EntraSyncConfig;
import dev.entrapbx.sync.EntraUserStorageProviderFactory;
import dev.entrapbx.sync.SyncTarget;
import dev.entrapbx.sync.graph.GraphDirectory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;

/**
 * Test connection of an {@code entra-users} component: acquires an app token, reads the tenant, and
 * names the application permissions the token lacks, with the admin-consent link when consent would
 * help. Used by admin REST ({@code POST .../entra-sync/{id}/test-connection}) and by customer
 * onboarding right after the customer's consent. Never throws for a connection problem: {@code ok}
 * and the messages say what is wrong.
 */
public final class ConnectionCheck {

    private ConnectionCheck() {
    }

    public static TestConnectionRepresentation run(KeycloakSession session, RealmModel realm, ComponentModel c,
                                                   EntraUserStorageProviderFactory factory) {
        EntraSyncConfig config = new EntraSyncConfig(c);
        boolean tokenAcquired = false;
        String clientId = null;
        String tenantId = null;
        Collection<String> grantedPermissions = null;
        List<String> missingPermissions = null;
        String tenantName = null;
        List<String> messages = new ArrayList<>();
        boolean ok = false;
        String consent = null;
        try {
            OrganizationModel org = SyncTarget.organization(session, realm, config);
            Optional<IdentityProviderModel> idp = EntraConnection.linkedIdentityProvider(session, config, org);
            EntraConnection connection = EntraConnection.resolve(session, realm, config, idp, factory.settings().allowAuthorityOverride());
            consent = connection.adminConsentUrl();
            AppTokens tokens = factory.tokens();
            String token = connection.graphToken(tokens);
            EntraConnection.TokenFacts facts = EntraConnection.facts(token);
            tokenAcquired = true;
            clientId = connection.clientId();
            tenantId = facts.tenantId();
            grantedPermissions = facts.roles();
            List<String> missing = EntraConnection.missingPermissions(facts.roles(), config);
            missingPermissions = missing;
            messages.addAll(missing);
            GraphDirectory graph = connection.directory(tokens, new dev.entrapbx.graph.RetryPolicy(2, java.time.Duration.ofMillis(200),
                    java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(15)));
            try {
                GraphDirectory.Tenant tenant = graph.tenant();
                tenantName = tenant.displayName();
            } catch (GraphException e) {
                messages.add("The tenant's name could not be read (" + e.getMessage() + "); this is not needed to sync.");
            }
            try {
                graph.usersDelta(null, List.of("id")); // the call the sync depends on
                ok = missing.stream().noneMatch(m -> m.startsWith("User.Read.All") || m.startsWith("GroupMember.Read.All"));
            } catch (GraphException e) {
                messages.add("Reading users failed: " + e.getMessage());
            }
        } catch (RuntimeException e) {
            messages.add(e.getMessage());
        }
        boolean consentHelps = !tokenAcquired || (missingPermissions != null && !missingPermissions.isEmpty());
        return new TestConnectionRepresentation(tokenAcquired, clientId, tenantId, grantedPermissions, missingPermissions, tenantName, ok,
                messages, consentHelps ? consent : null);
    }
}
