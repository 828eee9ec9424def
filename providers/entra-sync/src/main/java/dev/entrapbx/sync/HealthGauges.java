package dev.entrapbx.sync;

import dev.entrapbx.core.CredentialExpiryCheck;
import dev.entrapbx.kc.Meters;
import dev.entrapbx.kc.Organizations;
import dev.entrapbx.sync.jpa.SyncStateEntity;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.IdentityProviderQuery;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.timer.ScheduledTask;

/**
 * The gauges of each customer's Microsoft 365 health, set from the configuration and the database
 * every minute on every node (the credentials are {@link CredentialExpiryCheck#credentials}, the
 * daily check's), so every node's {@code /metrics} shows the same values (a sync runs on
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
            List<ComponentModel> components = PhoneSystemSync.components(realm).toList();
            for (CredentialExpiryCheck.Credential c : CredentialExpiryCheck.credentials(
                    session.identityProviders().getAllStream(IdentityProviderQuery.any(), null, null).toList(), components)) {
                // an unreadable date or certificate: the daily expiry check reports it
                CredentialExpiryCheck.expiry(c, why -> LOG.debugf("%s: credential expiry unreadable: %s", c.what(), why)).ifPresent(x -> {
                    Meters.Where where = c.idp() != null
                            ? new Meters.Where(realm.getName(), Organizations.aliasOf(session, realm, c.idp().getOrganizationId()), "identity-provider")
                            : new Meters.Where(realm.getName(), organizationOf(session, realm, c.component()), "user-sync");
                    Meters.gauge(CREDENTIAL_DAYS, "Whole days until an Entra app's client secret or certificate expires", where, x.daysLeft(now));
                    credentials.add(where);
                });
            }
            Map<String, SyncStateEntity> states = new HashMap<>(); // the realm's sync states in one query
            RealmJobs.em(session).createQuery("select s from SyncStateEntity s where s.realmId = :realm", SyncStateEntity.class)
                    .setParameter("realm", realm.getId()).getResultList().forEach(st -> states.put(st.getComponentId(), st));
            for (ComponentModel c : components) {
                Meters.Where where = new Meters.Where(realm.getName(), organizationOf(session, realm, c), null);
                SyncStateEntity st = states.get(c.getId());
                Meters.gauge(FAILED_IN_A_ROW, "Entra user sync runs in a row that failed", where, st == null ? 0 : st.getFailedInARow());
                Meters.gauge(GUARD_HOLDING, "1 while the accidental-delete guard holds back an Entra user sync's removals", where,
                        st != null && st.getGuardMessage() != null ? 1 : 0);
                syncs.add(where);
            }
        }
        Meters.retainGauges(CREDENTIAL_DAYS, credentials);
        Meters.retainGauges(FAILED_IN_A_ROW, syncs);
        Meters.retainGauges(GUARD_HOLDING, syncs);
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
