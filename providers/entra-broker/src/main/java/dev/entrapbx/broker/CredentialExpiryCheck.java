package dev.entrapbx.broker;

import dev.entrapbx.core.CredentialExpiry;
import dev.entrapbx.core.SystemAdminEvents;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.IdentityProviderQuery;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.timer.ScheduledTask;

/**
 * Daily, once per cluster: every {@code entra-id} identity provider whose credential expires
 * within 30 days (or has expired) gets a server-log warning and an admin event
 * (resource type {@value #RESOURCE_TYPE}), so partner admins renew it before sign-in breaks.
 */
public class CredentialExpiryCheck implements ScheduledTask {

    private static final Logger LOG = Logger.getLogger(CredentialExpiryCheck.class);
    public static final String RESOURCE_TYPE = "ENTRA_CREDENTIAL";

    private final Clock clock;

    public CredentialExpiryCheck(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String getTaskName() {
        return "entra-credential-expiry";
    }

    @Override
    public void run(KeycloakSession session) {
        Instant now = clock.instant();
        session.realms().getRealmsStream().toList().forEach(realm -> {
            session.getContext().setRealm(realm);
            session.identityProviders().getAllStream(IdentityProviderQuery.any(), null, null)
                    .filter(idp -> EntraIdentityProviderFactory.PROVIDER_ID.equals(idp.getProviderId()) && idp.isEnabled())
                    .forEach(idp -> check(session, realm, idp, now));
        });
    }

    private void check(KeycloakSession session, RealmModel realm, IdentityProviderModel idp, Instant now) {
        Optional<CredentialExpiry> expiry;
        try {
            expiry = new EntraIdentityProviderConfig(idp, false).credentialExpiry();
        } catch (RuntimeException e) { // unparsable date or certificate: report it, go on with the others
            LOG.warnf("Realm '%s', Entra IdP '%s': cannot read the credential's expiry: %s", realm.getName(), idp.getAlias(), e.getMessage());
            return;
        }
        if (expiry.isEmpty()) {
            return;
        }
        CredentialExpiry.State state = expiry.get().state(now);
        if (state == CredentialExpiry.State.VALID) {
            return;
        }
        long days = expiry.get().daysLeft(now);
        LOG.warnf("Realm '%s', Entra IdP '%s': the client credential %s (%s). Create a new one in the app registration "
                        + "and update the identity provider.", realm.getName(), idp.getAlias(),
                state == CredentialExpiry.State.EXPIRED ? "has expired" : "expires in " + days + " day(s)",
                expiry.get().expiresAt());
        fireAdminEvent(session, realm, idp, state, days, expiry.get());
    }

    private static void fireAdminEvent(KeycloakSession session, RealmModel realm, IdentityProviderModel idp,
                                       CredentialExpiry.State state, long days, CredentialExpiry expiry) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("state", state.name());
        details.put("daysLeft", Long.toString(days));
        details.put("expiresAt", expiry.expiresAt().toString());
        SystemAdminEvents.fire(session, realm, RESOURCE_TYPE, "identity-provider/instances/" + idp.getAlias(), details);
    }
}
