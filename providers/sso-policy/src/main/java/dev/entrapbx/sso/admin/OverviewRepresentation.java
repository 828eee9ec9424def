package dev.entrapbx.sso.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * {@code GET /admin/realms/{realm}/sso-policy}: every organization with its effective policy, and
 * the partner-portal policy (absent when the realm has none).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OverviewRepresentation(List<OrganizationPolicyRepresentation> organizations, PolicyRepresentation partner) {
}
