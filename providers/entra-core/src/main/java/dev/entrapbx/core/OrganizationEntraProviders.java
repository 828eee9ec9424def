package dev.entrapbx.core;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * "The Organization's Entra ID provider", one definition for the sync, the SSO policy and its
 * console page: the {@code entra-id} identity providers linked to a customer's Organization.
 */
public final class OrganizationEntraProviders {

    private OrganizationEntraProviders() {
    }

    /** The organization's linked {@code entra-id} providers, by alias. */
    public static List<IdentityProviderModel> of(OrganizationModel org) {
        return org == null ? List.of() : org.getIdentityProviders().filter(i -> EntraIdpKeys.PROVIDER_ID.equals(i.getProviderId()))
                .sorted(Comparator.comparing(IdentityProviderModel::getAlias)).toList();
    }

    /**
     * The provider as {@code session} reads it. A model an Organization lists may come from
     * Keycloak's cache bound to the session that filled it; its {@code isEnabled()} (which also asks
     * whether the Organization is enabled) then fails with "EntityManager is closed" (seen in the
     * customers overview after the IdP was edited in another request).
     */
    public static IdentityProviderModel current(KeycloakSession session, IdentityProviderModel idp) {
        IdentityProviderModel fresh = session.identityProviders().getByAlias(idp.getAlias());
        return fresh != null ? fresh : idp;
    }

    /** True when the organization has at least one linked {@code entra-id} provider. */
    public static boolean any(OrganizationModel org) {
        return !of(org).isEmpty();
    }

    /** The one the user sync links its users to: the only linked one (several: the sync must name one). */
    public static Optional<IdentityProviderModel> only(OrganizationModel org) {
        List<IdentityProviderModel> entra = of(org);
        return entra.size() == 1 ? Optional.of(entra.get(0)) : Optional.empty();
    }

    /**
     * The one a sign-in goes to: the enabled one {@code user} (may be null) is linked to, else the
     * first enabled one, else the first one (a disabled provider then decides "no SSO").
     */
    public static Optional<IdentityProviderModel> forSignIn(KeycloakSession session, RealmModel realm, OrganizationModel org, UserModel user) {
        List<IdentityProviderModel> entra = of(org).stream().map(i -> current(session, i)).toList();
        if (user != null) {
            for (IdentityProviderModel i : entra) {
                if (i.isEnabled() && session.users().getFederatedIdentity(realm, user, i.getAlias()) != null) {
                    return Optional.of(i);
                }
            }
        }
        return entra.stream().filter(IdentityProviderModel::isEnabled).findFirst().or(() -> entra.stream().findFirst());
    }
}
