package dev.entrapbx.onboarding;

import dev.entrapbx.broker.EntraIdentityProviderConfig;
import dev.entrapbx.core.EntraApp;
import dev.entrapbx.core.EntraException;
import dev.entrapbx.core.EntraIdpKeys;
import dev.entrapbx.core.TenantSelector;
import dev.entrapbx.graph.GraphException;
import dev.entrapbx.graph.RetryPolicy;
import dev.entrapbx.sync.EntraConnection;
import dev.entrapbx.sync.EntraSyncConfig;
import dev.entrapbx.sync.EntraUserStorageProviderFactory;
import dev.entrapbx.sync.graph.GraphDirectory;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.IdentityProviderSyncMode;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.storage.UserStorageProvider;
import org.keycloak.storage.UserStorageProviderModel;

/**
 * What links an Organization to the Microsoft 365 tenant whose admin consented: an {@code entra-id}
 * identity provider of the partner app restricted to exactly that tenant (multi-tenant mode, the
 * tenant as the only allowed one, the realm's shared redirect URI), and an {@code entra-users}
 * sync that reuses its credentials for that tenant, with the invitation's extension range. Also the
 * checks made before anything is saved: is the tenant free in this realm, did Microsoft really
 * record the consent (an app token for the tenant), and does the tenant own the invited domains.
 */
final class CustomerLink {

    /** The tenant id Entra gives personal Microsoft accounts (consumers). */
    static final String PERSONAL_ACCOUNTS_TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad";
    /** Right after consent the app's service principal may take a moment to be usable in the tenant (AADSTS700016 meanwhile). */
    static final List<Duration> CONSENT_PROPAGATION_WAITS = List.of(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8));
    /** Graph reads made while the admin waits: two retries, 15 s per answer. */
    static final RetryPolicy CHECK_POLICY = new RetryPolicy(2, Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(15));

    private CustomerLink() {
    }

    /** The customer's identity provider (not saved): the partner app for this one tenant. */
    static IdentityProviderModel identityProvider(PartnerApp app, String alias, String displayName, String tenantId, String orgId) {
        IdentityProviderModel idp = new IdentityProviderModel();
        idp.setAlias(alias);
        idp.setDisplayName(displayName);
        idp.setProviderId(EntraIdpKeys.PROVIDER_ID);
        idp.setEnabled(true);
        idp.setTrustEmail(false);
        idp.setStoreToken(false);
        idp.setHideOnLogin(true); // the email-first step sends the customer's people to it
        idp.setSyncMode(IdentityProviderSyncMode.IMPORT);
        idp.setOrganizationId(orgId);
        Map<String, String> c = new java.util.HashMap<>();
        for (String key : PartnerApp.COPIED_TO_IDENTITY_PROVIDERS) {
            String v = app.model().get(key);
            if (v != null && !v.isBlank()) {
                c.put(key, v);
            }
        }
        c.put(EntraIdpKeys.TENANT, TenantSelector.ORGANIZATIONS);
        c.put(EntraIdpKeys.ALLOWED_TENANTS, tenantId);
        c.put(EntraIdpKeys.SHARED_REDIRECT, "true");
        c.put(EntraIdpKeys.FROM_PARTNER_APP, "true");
        c.put("clientAuthMethod", "client_secret_post");
        c.put("pkceEnabled", "true");
        c.put("pkceMethod", "S256");
        c.put("syncMode", IdentityProviderSyncMode.IMPORT.name());
        idp.setConfig(c);
        return idp;
    }

    /** The customer's user sync (not saved): the identity provider's credentials for its tenant, the invitation's range. */
    static UserStorageProviderModel sync(RealmModel realm, PartnerApp app, Invitation inv, String orgAlias, String idpAlias, String tenantId) {
        UserStorageProviderModel m = new UserStorageProviderModel();
        m.setName(orgAlias + "-users");
        m.setProviderId(EntraUserStorageProviderFactory.PROVIDER_ID);
        m.setProviderType(UserStorageProvider.class.getName());
        m.setParentId(realm.getId());
        m.setEnabled(true);
        m.setImportEnabled(true);
        m.setPriority(0);
        m.setChangedSyncPeriod(app.changedSyncMinutes() * 60);
        m.setFullSyncPeriod(app.fullSyncHours() * 3600);
        MultivaluedHashMap<String, String> c = m.getConfig();
        c.putSingle(EntraSyncConfig.ORGANIZATION, orgAlias);
        c.putSingle(EntraSyncConfig.IDP_ALIAS, idpAlias);
        c.putSingle(EntraSyncConfig.REUSE_IDP_CREDENTIALS, "true");
        c.putSingle(EntraSyncConfig.TENANT, tenantId);
        inv.extensionRange().ifPresent(r -> c.putSingle(EntraSyncConfig.EXTENSION_RANGE, r));
        return m;
    }

    /** The application permissions a customer's sync made by onboarding needs (its default settings). */
    static List<EntraConnection.Need> neededPermissions(RealmModel realm, PartnerApp app) {
        UserStorageProviderModel sample = new UserStorageProviderModel();
        sample.setParentId(realm.getId());
        sample.getConfig().putSingle(EntraSyncConfig.REUSE_IDP_CREDENTIALS, "true");
        return EntraConnection.neededPermissions(new EntraSyncConfig(sample));
    }

    /**
     * The alias of another Organization that signs in or syncs through this tenant in the realm, if
     * any: a tenant belongs to one customer.
     */
    static Optional<String> tenantTakenBy(KeycloakSession session, RealmModel realm, String tenantId, String ownOrgId) {
        String tid = tenantId.toLowerCase(Locale.ROOT);
        Optional<String> byIdp = session.identityProviders().getAllStream(Map.of(), null, null)
                .filter(i -> EntraIdpKeys.PROVIDER_ID.equals(i.getProviderId()))
                .filter(i -> i.getOrganizationId() != null && !i.getOrganizationId().equals(ownOrgId))
                .filter(i -> tid.equalsIgnoreCase(String.valueOf(i.getConfig().get(EntraIdpKeys.TENANT)).trim())
                        || EntraApp.allowedTenants(i.getConfig()).contains(tid))
                .map(i -> dev.entrapbx.kc.Organizations.aliasOf(session, realm, i.getOrganizationId()))
                .findFirst();
        if (byIdp.isPresent()) {
            return byIdp;
        }
        return realm.getComponentsStream(realm.getId(), UserStorageProvider.class.getName())
                .filter(c -> EntraUserStorageProviderFactory.PROVIDER_ID.equals(c.getProviderId()))
                .filter(c -> tid.equalsIgnoreCase(String.valueOf(c.get(EntraSyncConfig.TENANT)).trim()))
                .map(c -> c.get(EntraSyncConfig.ORGANIZATION))
                .filter(alias -> alias != null && dev.entrapbx.kc.Organizations.byAlias(session, realm, alias)
                        .map(o -> !o.getId().equals(ownOrgId)).orElse(false))
                .findFirst();
    }

    /** What Microsoft confirmed about the tenant: its name and verified domains. */
    record TenantFacts(String tenantId, String displayName, Set<String> verifiedDomains) {
    }

    /** A check Microsoft or Graph answered with a refusal; the message says which, for the admin event and the page. */
    static final class NotConfirmed extends RuntimeException {
        final String reason;

        NotConfirmed(String reason, String message, Throwable cause) {
            super(message, cause);
            this.reason = reason;
        }
    }

    /**
     * The customer's Graph connection as its sync will make it (the partner app for the tenant, vault
     * references resolved): in a transaction, before the network calls of {@link #confirm}, which
     * need none.
     *
     * @throws NotConfirmed when the partner app's settings cannot connect
     */
    static EntraConnection connection(KeycloakSession session, RealmModel realm, EntraUserStorageProviderFactory syncs,
                                      IdentityProviderModel idp, UserStorageProviderModel sync) {
        try {
            return EntraConnection.resolve(session, realm, new EntraSyncConfig(sync), Optional.of(idp), syncs.settings().allowAuthorityOverride());
        } catch (IllegalArgumentException e) {
            throw new NotConfirmed("configuration", "The partner app cannot be used: " + e.getMessage(), e);
        }
    }

    /**
     * Confirms the consent with Microsoft: an app token of the partner app for the tenant (only
     * possible once its admin consented), the tenant's name and verified domains.
     *
     * @throws NotConfirmed when the token is refused (after waiting briefly for the consent to reach Entra) or Graph fails
     */
    static TenantFacts confirm(EntraConnection connection, EntraUserStorageProviderFactory syncs, IdentityProviderModel idp, Sleeper sleeper) {
        for (int attempt = 0; ; attempt++) {
            try {
                connection.graphToken(syncs.tokens());
                break;
            } catch (EntraException e) {
                boolean notYet = String.valueOf(e.getMessage()).contains("AADSTS700016");
                if (!notYet || attempt >= CONSENT_PROPAGATION_WAITS.size()) {
                    throw new NotConfirmed(notYet ? "consent_not_found" : "token_refused", notYet
                            ? "Microsoft has no consent to the app in this organisation: " + e.getMessage() : e.getMessage(), e);
                }
                sleeper.sleep(CONSENT_PROPAGATION_WAITS.get(attempt));
            }
        }
        GraphDirectory graph = connection.directory(syncs.tokens(), CHECK_POLICY);
        String name = null;
        try {
            name = graph.tenant().displayName(); // needs Organization.Read.All: nice to show, not needed
        } catch (GraphException e) {
            name = null;
        }
        try {
            return new TenantFacts(idp.getConfig().get(EntraIdpKeys.ALLOWED_TENANTS), name, new TreeSet<>(graph.verifiedDomains()));
        } catch (GraphException e) {
            throw new NotConfirmed(e.status() == 403 ? "permission_missing" : "graph_failed", e.status() == 403
                    ? "The partner app may not read the organisation's verified domains (Domain.Read.All is not granted), so the invited "
                    + "domains cannot be checked: " + e.getMessage()
                    : "Microsoft Graph did not answer for the organisation: " + e.getMessage(), e);
        }
    }

    /** Waits between attempts (a test passes one that does not). */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration d);

        Sleeper REAL = d -> {
            try {
                Thread.sleep(d.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        };
    }

    /** The invited domains the tenant does not own (verified), lower case. */
    static List<String> unverified(List<String> invited, Set<String> verified) {
        return invited.stream().map(d -> d.toLowerCase(Locale.ROOT)).filter(d -> !verified.contains(d)).toList();
    }

    /** Validates the identity provider as the admin console would, storing its derived endpoints. */
    static void validate(KeycloakSession session, RealmModel realm, IdentityProviderModel idp) {
        EntraIdentityProviderConfig config = new EntraIdentityProviderConfig(idp, PartnerAppPageFactory.overrideGate(session));
        config.validate(realm);
        idp.setConfig(config.getConfig());
    }
}
