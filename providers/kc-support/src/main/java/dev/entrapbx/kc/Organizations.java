package dev.entrapbx.kc;

import java.util.Optional;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.organization.OrganizationProvider;

/**
 * The one Organization lookup of entra-pbx (a customer = an Organization of the partner realm):
 * by alias, or by alias or id with a message that says what to fix. Organizations switched off
 * in the realm read as "none".
 */
public final class Organizations {

    private Organizations() {
    }

    /** Keycloak's organization provider, or null when the realm has Organizations switched off. */
    public static OrganizationProvider provider(KeycloakSession session, RealmModel realm) {
        return realm.isOrganizationsEnabled() ? session.getProvider(OrganizationProvider.class) : null;
    }

    /** The organization with this alias (case as stored), if Organizations are on and it exists. */
    public static Optional<OrganizationModel> byAlias(KeycloakSession session, RealmModel realm, String alias) {
        OrganizationProvider orgs = alias == null || alias.isBlank() ? null : provider(session, realm);
        return Optional.ofNullable(orgs == null ? null : orgs.getByAlias(alias.strip()));
    }

    /** The alias of the organization with this id (for tags and logs), or null when there is none. */
    public static String aliasOf(KeycloakSession session, RealmModel realm, String organizationId) {
        OrganizationProvider orgs = organizationId == null || organizationId.isBlank() ? null : provider(session, realm);
        OrganizationModel org = orgs == null ? null : orgs.getById(organizationId);
        return org == null ? null : org.getAlias();
    }

    /**
     * The organization {@code ref} names, by alias or else by id.
     *
     * @throws IllegalArgumentException saying what to fix when Organizations are off or it does not exist
     */
    public static OrganizationModel require(KeycloakSession session, RealmModel realm, String ref) {
        if (!realm.isOrganizationsEnabled()) {
            throw new IllegalArgumentException("Organizations are not enabled in realm '" + realm.getName()
                    + "': switch them on (Realm settings > General > Organizations).");
        }
        OrganizationProvider orgs = session.getProvider(OrganizationProvider.class);
        OrganizationModel org = ref == null || ref.isBlank() ? null : orgs.getByAlias(ref.strip());
        if (org == null && ref != null && !ref.isBlank()) {
            org = orgs.getById(ref.strip());
        }
        if (org == null) {
            throw new IllegalArgumentException("Organization '" + ref + "' does not exist in realm '" + realm.getName()
                    + "': use the alias shown under Organizations.");
        }
        return org;
    }
}
