package dev.entrapbx.sso.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.entrapbx.sso.SsoDecision;

/**
 * {@code GET /admin/realms/{realm}/sso-policy/decision?user=}: the address asked about, whether it
 * is an account's, then the decision's fields ({@link SsoDecision#representation()}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DecisionRepresentation(String user, boolean knownUser, @JsonUnwrapped SsoDecision.Representation decision) {
}
