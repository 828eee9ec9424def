package dev.entrapbx.core;

import dev.entrapbx.kc.SystemAdminEvents;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.IdentityProviderQuery;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.timer.ScheduledTask;

/**
 * Daily, once per cluster: every Entra app credential that expires within 30 days (or has expired)
 * gets a server-log warning and an admin event (resource type {@value #RESOURCE_TYPE}), so partner
 * admins renew it before sign-in or the sync breaks. Checked: every enabled {@code entra-id}
 * identity provider, and every {@code entra-users} component with its own credential ('Use the
 * identity provider's credentials' off; one that reuses an IdP's is covered by the IdP). Both are
 * read as an {@link EntraApp}.
 */
public class CredentialExpiryCheck implements ScheduledTask {

    private static final Logger LOG = Logger.getLogger(CredentialExpiryCheck.class);
    public static final String RESOURCE_TYPE = "ENTRA_CREDENTIAL";
    private static final String USER_STORAGE_PROVIDER_TYPE = "org.keycloak.storage.UserStorageProvider";

    /** A credential to report: where it is configured (admin REST path, words for the log) and its expiry. */
    public record Finding(String resourcePath, String what, String renewHint, CredentialExpiry expiry, CredentialExpiry.State state,
                          long daysLeft) {
    }

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
            List<IdentityProviderModel> idps = session.identityProviders().getAllStream(IdentityProviderQuery.any(), null, null).toList();
            List<ComponentModel> components = realm.getComponentsStream(realm.getId(), USER_STORAGE_PROVIDER_TYPE).toList();
            for (Finding f : findings(realm.getName(), idps, components, now)) {
                LOG.warnf("Realm '%s', %s: the client credential %s (%s). %s", realm.getName(), f.what(),
                        f.state() == CredentialExpiry.State.EXPIRED ? "has expired" : "expires in " + f.daysLeft() + " day(s)",
                        f.expiry().expiresAt(), f.renewHint());
                fireAdminEvent(session, realm, f);
            }
        });
    }

    /**
     * An Entra app credential the realm holds: an enabled {@code entra-id} IdP's ({@code idp} set), or
     * an {@code entra-users} sync's own ({@code component} set; a sync that reuses its IdP's
     * credential is covered by the IdP). The one list the daily check and the health gauges read.
     */
    public record Credential(IdentityProviderModel idp, ComponentModel component, String what, String resourcePath, String renewHint,
                             java.util.function.Supplier<EntraApp> app) {
    }

    /** The realm's Entra app credentials ({@link Credential}), IdPs first. */
    public static List<Credential> credentials(List<IdentityProviderModel> idps, List<ComponentModel> components) {
        List<Credential> out = new ArrayList<>();
        idps.stream()
                .filter(idp -> EntraIdpKeys.PROVIDER_ID.equals(idp.getProviderId()) && idp.isEnabled())
                .forEach(idp -> out.add(new Credential(idp, null, "Entra IdP '" + idp.getAlias() + "'",
                        "identity-provider/instances/" + idp.getAlias(),
                        "Create a new one in the app registration and update the identity provider.", () -> EntraApp.of(idp))));
        components.stream()
                .filter(c -> EntraIdpKeys.USER_SYNC_PROVIDER_ID.equals(c.getProviderId()))
                .forEach(c -> EntraApp.ownSettings(c).ifPresent(app -> out.add(new Credential(null, c, "Entra user sync '" + c.getName() + "'",
                        "components/" + c.getId(),
                        "Create a new one in the app registration and update the user sync's client secret and its expiry date.",
                        () -> app))));
        return out;
    }

    /**
     * The credential's expiry, if it has a known one; an unparsable date or certificate goes to
     * {@code unreadable} (the reason) and reads as none, so the other credentials go on.
     */
    public static Optional<CredentialExpiry> expiry(Credential c, java.util.function.Consumer<String> unreadable) {
        try {
            return c.app().get().credentialExpiry();
        } catch (RuntimeException e) {
            unreadable.accept(e.getMessage());
            return Optional.empty();
        }
    }

    /** What to report in one realm at {@code now}: credentials expired or expiring within the warning window. */
    public static List<Finding> findings(String realmName, List<IdentityProviderModel> idps, List<ComponentModel> components, Instant now) {
        List<Finding> out = new ArrayList<>();
        for (Credential c : credentials(idps, components)) {
            expiry(c, why -> LOG.warnf("Realm '%s', %s: cannot read the credential's expiry: %s", realmName, c.what(), why)).flatMap(x -> Stream.of(x.state(now)).filter(s -> s != CredentialExpiry.State.VALID)
                    .map(s -> new Finding(c.resourcePath(), c.what(), c.renewHint(), x, s, x.daysLeft(now))).findFirst()).ifPresent(out::add);
        }
        return out;
    }

    private static void fireAdminEvent(KeycloakSession session, RealmModel realm, Finding f) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("state", f.state().name());
        details.put("daysLeft", Long.toString(f.daysLeft()));
        details.put("expiresAt", f.expiry().expiresAt().toString());
        SystemAdminEvents.fire(session, realm, RESOURCE_TYPE, f.resourcePath(), details);
    }
}
