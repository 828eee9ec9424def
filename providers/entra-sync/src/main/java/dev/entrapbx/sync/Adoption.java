package dev.entrapbx.sync;

import dev.entrapbx.core.EntraApp;
import dev.entrapbx.core.EntraIdpKeys;
import dev.entrapbx.core.TenantSelector;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.keycloak.models.IdentityProviderModel;

/**
 * Which existing Keycloak users a sync adopts: the usual rollout is SSO first, sync later, so a
 * customer's people already exist, created by their first Microsoft sign-in. Such a user is adopted
 * (federation link set, mapped attributes written, extension given, no duplicate) only on proof
 * that it IS the Entra user: a broker link to an {@code entra-id} identity provider of this tenant
 * whose brokered user id is the Entra object id. A user who merely has the same username or email
 * is never adopted: email matching is the "nOAuth" account-takeover hole.
 */
final class Adoption {

    private Adoption() {
    }

    /**
     * Aliases of the realm's {@code entra-id} identity providers that sign in users of
     * {@code tenantId}: configured with that tenant id, or with one of its verified domains, or
     * multi-tenant with it on the allow-list; plus {@code linkedAlias}, the provider the sync links
     * its users to. Disabled providers count too (their links still prove who a user is), so an
     * identity provider that was replaced, but kept, still vouches for its users.
     */
    static Set<String> providersOfTenant(Collection<IdentityProviderModel> providers, String tenantId, Set<String> verifiedDomains,
                                         String linkedAlias) {
        Set<String> out = new TreeSet<>();
        if (linkedAlias != null) {
            out.add(linkedAlias);
        }
        String tid = tenantId == null ? null : tenantId.toLowerCase(Locale.ROOT);
        for (IdentityProviderModel p : providers) {
            if (!EntraIdpKeys.PROVIDER_ID.equals(p.getProviderId()) || tid == null) {
                continue;
            }
            Map<String, String> c = p.getConfig() == null ? Map.of() : p.getConfig();
            String tenant = c.getOrDefault(EntraIdpKeys.TENANT, "").strip().toLowerCase(Locale.ROOT);
            boolean ofTenant = tid.equals(TenantSelector.normalizeTenantId(tenant).orElse(null))
                    || verifiedDomains.contains(tenant)
                    || (TenantSelector.ORGANIZATIONS.equals(tenant) && EntraApp.allowedTenants(c).contains(tid));
            if (ofTenant) {
                out.add(p.getAlias());
            }
        }
        return out;
    }
}
