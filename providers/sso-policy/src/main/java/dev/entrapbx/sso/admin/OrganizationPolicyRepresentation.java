package dev.entrapbx.sso.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.entrapbx.sso.SsoPolicy;
import java.util.Optional;
import org.keycloak.models.OrganizationModel;

/**
 * An organization with its effective policy ({@code GET /admin/realms/{realm}/sso-policy/organizations/{alias}},
 * and each entry of the overview): the policy's fields, then {@code organizationName} and
 * {@code saved} (false: the defaults, no policy saved).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OrganizationPolicyRepresentation(@JsonUnwrapped PolicyRepresentation policy, String organizationName, boolean saved) {

    public static OrganizationPolicyRepresentation of(OrganizationModel org, Optional<SsoPolicy> saved) {
        return of(org.getAlias(), org.getName(), saved);
    }

    static OrganizationPolicyRepresentation of(String alias, String name, Optional<SsoPolicy> saved) {
        return new OrganizationPolicyRepresentation(PolicyRepresentation.of(saved.orElse(null)).withOrganization(alias), name,
                saved.isPresent());
    }
}
