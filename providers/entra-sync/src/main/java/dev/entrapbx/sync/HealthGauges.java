package dev.entrapbx.sync;

import dev.entrapbx.core.CredentialExpiry;
import dev.entrapbx.core.EntraApp;
import dev.entrapbx.core.EntraIdpKeys;
import dev.entrapbx.kc.Meters;
import dev.entrapbx.kc.Organizations;
import dev.entrapbx.sync.jpa.SyncStateEntity;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.IdentityProviderQuery;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.timer.ScheduledTask;

/**
 * The gauges of each customer's Microsoft 365 health, set from the configuration and the database
 * every minute on every node, so every node's {@code /metrics} shows the same values (a sync runs on
 * one node; counting there would leave the others stale):
 * <ul>
 * <li>{@value #CREDENTIAL_DAYS} {realm, organization, kind}: whole days until the client secret or
 * certificate expires (negative once expired), for every enabled {@code entra-id} identity provider
 * ({@code kind="identity-provider"}) and every {@code entra-users} sync with its own credential
 * ({@code kind="user-sync"}) whose expiry is known;</li>
 * <li>{@value #FAILED_IN_A_ROW} {realm, organization}: the sync's runs in a row that failed;</li>
 * <li>{@value #GUARD_HOLDING} {realm, organization}: 1 while the accidental-delete guard holds back removals.</li>
 * </ul>
 * A customer removed loses its gauges at the next refresh.
 */
public final class HealthGauges implements ScheduledTask {

    private static final Logger LOG = Logger.getLogger(HealthGauges.class);

    public static final String CREDENTIAL_DAYS = "entrapbx.credential.expiry.days";
    public static final String FAILED_IN_A_ROW = "entrapbx.sync.failed.in.a.row";
    public static final String GUARD_HOLDING = "entrapbx.sync.guard.holding";

    private final Clock clock;

    public HealthGauges(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String getTaskName() {
        return "entra-pbx-health-gauges";
    }

    @Override
    public void run(KeycloakSession session) {
        Instant now = clock.instant();
        Set<Meters.Where> credentials = new HashSet<>();
        Set<Meters.Where> syncs = new HashSet<>();
        for (RealmModel realm : session.realms().getRealmsStream().toList()) {
            session.getContext().setRealm(realm);
            session.identityProviders().getAllStream(IdentityProviderQuery.any(), null, null)
                    .filter(idp -> EntraIdpKeys.PROVIDER_ID.equals(idp.getProviderId()) && idp.isEnabled())
                    .forEach(idp -> credential(new Meters.Where(realm.getName(),
                            Organizations.aliasOf(session, realm, idp.getOrganizationId()), "identity-provider"),
                            () -> EntraApp.of(idp), now, credentials, "IdP '" + idp.getAlias() + "'"));
            PhoneSystemSync.components(realm).toList().forEach(c -> {
                Meters.Where where = new Meters.Where(realm.getName(), organizationOf(session, realm, c), null);
                EntraApp.ownSettings(c).ifPresent(app -> credential(new Meters.Where(where.realm(), where.organization(), "user-sync"),
                        () -> app, now, credentials, "user sync '" + c.getName() + "'"));
                SyncStateEntity st = RealmJobs.em(session).find(SyncStateEntity.class, c.getId());
                Meters.gauge(FAILED_IN_A_ROW, "Entra user sync runs in a row that failed", where, st == null ? 0 : st.getFailedInARow());
                Meters.gauge(GUARD_HOLDING, "1 while the accidental-delete guard holds back an Entra user sync's removals", where,
                        st != null && st.getGuardMessage() != null ? 1 : 0);
                syncs.add(where);
            });
        }
        Meters.retainGauges(CREDENTIAL_DAYS, credentials);
        Meters.retainGauges(FAILED_IN_A_ROW, syncs);
        Meters.retainGauges(GUARD_HOLDING, syncs);
    }

    private static void credential(Meters.Where where, Supplier<EntraApp> app, Instant now, Set<Meters.Where> seen, String what) {
        Optional<CredentialExpiry> expiry;
        try {
            expiry = app.get().credentialExpiry();
        } catch (RuntimeException e) { // an unreadable date or certificate: the daily expiry check reports it
            LOG.debugf("%s: credential expiry unreadable: %s", what, e.getMessage());
            return;
        }
        expiry.ifPresent(x -> {
            Meters.gauge(CREDENTIAL_DAYS, "Whole days until an Entra app's client secret or certificate expires", where, x.daysLeft(now));
            seen.add(where);
        });
    }

    private static String organizationOf(KeycloakSession session, RealmModel realm, ComponentModel c) {
        EntraSyncConfig config = new EntraSyncConfig(c);
        try {
            return SyncTarget.organization(session, realm, config).getAlias();
        } catch (IllegalArgumentException e) {
            return config.organization().orElse(null);
        }
    }
}
