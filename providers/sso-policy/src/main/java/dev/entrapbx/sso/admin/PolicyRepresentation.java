package dev.entrapbx.sso.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.entrapbx.sso.SsoPolicy;
import java.util.List;

/**
 * One SSO policy as {@code GET|PUT /admin/realms/{realm}/sso-policy/partner} and the PUT of an
 * organization's policy answer it. A null field is left out (as Keycloak's JSON does for every
 * answer): {@code id} for a policy not saved, {@code organization} for the partner portal,
 * {@code domains} for an organization's policy.
 *
 * @param id               component id
 * @param organization     alias of the organization (absent: partner portal)
 * @param ssoEnabled       SSO on
 * @param identityProvider alias to send users to (absent: the organization's linked Entra ID provider)
 * @param excludedUsers    usernames and emails that keep password sign-in, sorted
 * @param excludedGroup    group path whose members keep password sign-in
 * @param domains          partner portal only: the partner's own email domains, sorted
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PolicyRepresentation(String id, String organization, boolean ssoEnabled, String identityProvider,
                                   List<String> excludedUsers, String excludedGroup, List<String> domains) {

    /** A policy; null: the defaults an organization without a saved policy gets. */
    public static PolicyRepresentation of(SsoPolicy p) {
        if (p == null) {
            return new PolicyRepresentation(null, null, true, null, List.of(), null, null);
        }
        return new PolicyRepresentation(p.componentId().orElse(null), p.organization().orElse(null), p.ssoEnabled(),
                p.identityProvider().orElse(null), p.excludedUsers().stream().sorted().toList(), p.excludedGroup().orElse(null),
                p.isPartnerPortal() ? p.domains().stream().sorted().toList() : null);
    }

    /** The same policy shown for the organization with this alias. */
    PolicyRepresentation withOrganization(String alias) {
        return new PolicyRepresentation(id, alias, ssoEnabled, identityProvider, excludedUsers, excludedGroup, domains);
    }
}
