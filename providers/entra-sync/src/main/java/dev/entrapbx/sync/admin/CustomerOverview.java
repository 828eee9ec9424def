package dev.entrapbx.sync.admin;

import dev.entrapbx.core.CredentialExpiry;
import dev.entrapbx.core.EntraApp;
import dev.entrapbx.core.OrganizationEntraProviders;
import dev.entrapbx.sync.PhoneSystemSync;
import dev.entrapbx.sync.jpa.SyncRunEntity;
import dev.entrapbx.sync.jpa.SyncStateEntity;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationDomainModel;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.services.Urls;
import org.keycloak.storage.UserStorageProviderModel;

/**
 * Builds {@link CustomerRepresentation}s for a page of the realm's Organizations: the realm's syncs
 * are read once and matched to the page's Organizations, and the page's last runs and states are read in two
 * queries, so a page costs the same in a realm of ten customers or of a thousand.
 */
final class CustomerOverview {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final EntityManager em;

    CustomerOverview(KeycloakSession session, RealmModel realm, EntityManager em) {
        this.session = session;
        this.realm = realm;
        this.em = em;
    }

    CustomerListRepresentation page(String search, int first, int max) {
        OrganizationProvider orgs = session.getProvider(OrganizationProvider.class);
        String term = search == null || search.isBlank() ? null : search.strip();
        List<OrganizationModel> page = orgs.getAllStream(term, false, first, max).toList();
        long total = term == null ? orgs.count() : orgs.count(term, false);
        return page(page, total, first);
    }

    /** The one customer whose Organization has this alias (Keycloak's search matches names and domains, not aliases). */
    CustomerListRepresentation byAlias(String alias) {
        OrganizationModel org = session.getProvider(OrganizationProvider.class).getByAlias(alias);
        return page(org == null ? List.of() : List.of(org), org == null ? 0 : 1, 0);
    }

    private CustomerListRepresentation page(List<OrganizationModel> page, long total, int first) {

        List<ComponentModel> components = PhoneSystemSync.components(realm).toList();
        Map<String, ComponentModel> syncs = new HashMap<>();
        for (OrganizationModel org : page) {
            PhoneSystemSync.ofOrganization(components, org.getId(), org.getAlias()).ifPresent(c -> syncs.put(org.getId(), c));
        }
        List<String> componentIds = syncs.values().stream().map(ComponentModel::getId).toList();
        Map<String, SyncRunEntity> lastRuns = new HashMap<>();
        Map<String, SyncStateEntity> states = new HashMap<>();
        if (!componentIds.isEmpty()) {
            em.createQuery("select r from SyncRunEntity r where r.componentId in :ids and r.startedAt = "
                            + "(select max(r2.startedAt) from SyncRunEntity r2 where r2.componentId = r.componentId)", SyncRunEntity.class)
                    .setParameter("ids", componentIds).getResultList().forEach(r -> lastRuns.putIfAbsent(r.getComponentId(), r));
            em.createQuery("select s from SyncStateEntity s where s.componentId in :ids", SyncStateEntity.class)
                    .setParameter("ids", componentIds).getResultList().forEach(s -> states.put(s.getComponentId(), s));
        }

        Instant now = Instant.now();
        List<CustomerRepresentation> out = page.stream().map(org -> new CustomerRepresentation(org.getId(), org.getAlias(), org.getName(),
                org.isEnabled(), org.getDomains().map(OrganizationDomainModel::getName).sorted().toList(), identityProvider(org, now),
                sync(syncs.get(org.getId()), lastRuns, states))).toList();
        return new CustomerListRepresentation(total, first, out);
    }

    private CustomerRepresentation.IdentityProvider identityProvider(OrganizationModel org, Instant now) {
        List<IdentityProviderModel> entra = OrganizationEntraProviders.of(org);
        if (entra.isEmpty()) {
            return null;
        }
        IdentityProviderModel idp = OrganizationEntraProviders.current(session, entra.get(0));
        String tenant = null;
        String cloud = null;
        String credentialType = null;
        Optional<CredentialExpiry> expiry = Optional.empty();
        String certificate = null;
        try {
            EntraApp app = EntraApp.of(idp);
            tenant = app.tenantValue().orElse(null);
            cloud = app.cloud().label();
            credentialType = app.credentialType().id();
            expiry = app.credentialExpiry();
            certificate = app.credentialType() == EntraApp.CredentialType.CERTIFICATE ? app.certificatePem().orElse(null) : null;
        } catch (RuntimeException e) { // a setting that does not parse: shown as unknown, the IdP's own page says what to fix
            credentialType = "unreadable: " + e.getMessage();
        }
        String redirectUri = dev.entrapbx.core.SharedRedirect.redirectUriOf(session.getContext().getUri().getBaseUri(), realm.getName(),
                idp.getAlias(), idp.getConfig());
        return new CustomerRepresentation.IdentityProvider(idp.getAlias(), idp.isEnabled(), tenant, cloud, credentialType,
                expiry.map(x -> x.expiresAt().toString()).orElse(null), expiry.map(x -> x.daysLeft(now)).orElse(null),
                expiry.map(x -> x.state(now).name()).orElse(null), redirectUri, certificate, entra.size() - 1);
    }

    /**
     * The scheduled run of this kind is due no earlier than its last one (the scheduler's claim, else
     * Keycloak's last sync time) plus the period (null: off, or none yet).
     */
    private static String next(UserStorageProviderModel model, SyncStateEntity state, UserStorageProviderModel.SyncMode mode, int periodSeconds) {
        Long claimed = state == null ? null : mode == UserStorageProviderModel.SyncMode.FULL ? state.getPeriodicFullAt() : state.getPeriodicChangedAt();
        long last = Math.max(claimed == null ? 0L : claimed / 1000L, model.getLastSync(mode));
        return periodSeconds <= 0 || last <= 0 || !model.isEnabled() ? null : Instant.ofEpochSecond(last + periodSeconds).toString();
    }

    private static CustomerRepresentation.Sync sync(ComponentModel c, Map<String, SyncRunEntity> lastRuns, Map<String, SyncStateEntity> states) {
        if (c == null) {
            return null;
        }
        UserStorageProviderModel model = new UserStorageProviderModel(c);
        SyncRunEntity last = lastRuns.get(c.getId());
        SyncStateEntity state = states.get(c.getId());
        return new CustomerRepresentation.Sync(c.getId(), c.getName(), model.isEnabled(),
                model.getFullSyncPeriod() > 0 ? model.getFullSyncPeriod() : null,
                model.getChangedSyncPeriod() > 0 ? model.getChangedSyncPeriod() : null,
                next(model, state, UserStorageProviderModel.SyncMode.FULL, model.getFullSyncPeriod()),
                next(model, state, UserStorageProviderModel.SyncMode.CHANGED, model.getChangedSyncPeriod()),
                last == null ? null : RunRepresentation.of(last), state == null ? null : state.getGuardMessage(),
                state == null ? 0 : state.getFailedInARow());
    }
}
