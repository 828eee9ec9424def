package dev.entrapbx.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.keycloak.models.IdentityProviderModel;

class AdoptionTest {

    private static final String TENANT = "6f1e2d3c-4b5a-4978-8a1b-2c3d4e5f6a7b";
    private static final String OTHER = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

    private static IdentityProviderModel idp(String alias, String providerId, Map<String, String> config) {
        IdentityProviderModel m = new IdentityProviderModel();
        m.setAlias(alias);
        m.setProviderId(providerId);
        m.setConfig(new java.util.HashMap<>(config));
        return m;
    }

    @Test
    void providersOfTheSameTenantVouchForTheirUsersWhateverTheirAliasOrState() {
        List<IdentityProviderModel> idps = List.of(
                idp("current", "entra-id", Map.of("entraTenant", TENANT)),
                idp("replaced", "entra-id", Map.of("entraTenant", TENANT.toUpperCase())),
                idp("by-domain", "entra-id", Map.of("entraTenant", "contoso.example")),
                idp("partner-app", "entra-id", Map.of("entraTenant", "organizations", "entraAllowedTenants", OTHER + ", " + TENANT)));
        assertThat(Adoption.providersOfTenant(idps, TENANT, Set.of("contoso.example"), "current"))
                .containsExactlyInAnyOrder("current", "replaced", "by-domain", "partner-app");
    }

    @Test
    void anAllowListStoredAsTheConsoleStoresItCounts() {
        List<IdentityProviderModel> idps = List.of(idp("console", "entra-id",
                Map.of("entraTenant", "organizations", "entraAllowedTenants", OTHER + "##" + TENANT.toUpperCase())));
        assertThat(Adoption.providersOfTenant(idps, TENANT, Set.of(), null)).containsExactly("console");
    }

    @Test
    void providersOfOtherTenantsOrTypesNeverVouch() {
        List<IdentityProviderModel> idps = List.of(
                idp("other-tenant", "entra-id", Map.of("entraTenant", OTHER)),
                idp("any-tenant", "entra-id", Map.of("entraTenant", "organizations", "entraAllowedTenants", OTHER)),
                idp("unverified-domain", "entra-id", Map.of("entraTenant", "fabrikam.example")),
                idp("google", "google", Map.of("entraTenant", TENANT)),
                idp("plain-oidc", "oidc", Map.of()));
        assertThat(Adoption.providersOfTenant(idps, TENANT, Set.of("contoso.example"), null)).isEmpty();
    }

    @Test
    void theProviderTheSyncLinksToAlwaysCounts() {
        assertThat(Adoption.providersOfTenant(List.of(), TENANT, Set.of(), "linked")).containsExactly("linked");
        assertThat(Adoption.providersOfTenant(List.of(idp("x", "entra-id", Map.of("entraTenant", TENANT))), null, Set.of(), null)).isEmpty();
    }
}
